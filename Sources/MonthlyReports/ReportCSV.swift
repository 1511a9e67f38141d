import CSV
import Foundation

/// A report's figures as CSV: UTF-8 with a byte-order mark (so that Excel set to Japanese opens it
/// as UTF-8, not as Shift_JIS mojibake), CRLF line ends, the table first, then the daily series.
enum ReportCSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The bytes of a CSV written by `rows`: the byte-order mark, then its rows, a CRLF after each.
    static func make(_ rows: (CSVWriter) throws -> Void) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        _ = stream.write(byteOrderMark, maxLength: byteOrderMark.count)
        let csv = try CSVWriter(stream: stream, newline: .crlf)
        try rows(csv)
        csv.stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CSVError.cannotWriteStream
        }
        return data + Data("\r\n".utf8)
    }

    /// A figure line as cells: label, the month, the month before, the change and its ratio.
    static func cells(_ line: FigureLine) -> [String] {
        [line.label, plain(line.current, line.decimals), plain(line.previous, line.decimals), line.change.difference, line.change.percent]
    }

    static func company(_ report: CompanyReport) throws -> Data {
        try make { csv in
            try csv.write(row: ["月次利用レポート", report.companyName, report.month])
            try csv.write(row: [""])
            try csv.write(row: ["項目", "当月", "前月", "増減", "増減率"])
            for line in report.usage.lines { try csv.write(row: cells(line)) }
            try csv.write(row: [""])  // a blank line between the table and the days
            try csv.write(row: ["日", "アクティブユーザー", "アプローチ数", "前月アクティブユーザー", "前月アプローチ数"])
            let now = report.usage.current, before = report.usage.previous
            let days = max(now?.dailyApproaches.count ?? 0, before?.dailyApproaches.count ?? 0)
            for day in 0..<days {
                let series = [now?.dailyActiveUsers, now?.dailyApproaches, before?.dailyActiveUsers, before?.dailyApproaches]
                let values = series.map { values in values.flatMap { day < $0.count ? $0[day] : nil }.map(String.init) ?? "" }
                try csv.write(row: [String(day + 1)] + values)
            }
        }
    }

    /// Numbers for spreadsheets: no grouping, a point for decimals, empty for no data.
    static func plain(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "" }
        return decimals == 0 ? String(Int(value.rounded())) : String(format: "%.\(decimals + 1)f", value)
    }

    /// The encodings a report's CSV can be written in.
    enum Encoding: String, Sendable, CaseIterable {
        /// With a byte-order mark: Excel in Japanese reads it as UTF-8.
        case utf8 = "utf-8"
        /// Windows' Japanese code page (CP932), for older spreadsheet tools; no byte-order mark.
        case shiftJIS = "shift_jis"
    }

    /// Characters Shift_JIS has no code for, and the ones it has that look the same.
    static let shiftJISLookalikes: [Character: Character] = ["—": "―", "−": "－", "〜": "～", "‖": "∥", "¢": "￠", "£": "￡", "¬": "￢"]

    /// `utf8` (a CSV as `make` writes it) in `encoding`. A character Shift_JIS cannot hold (one
    /// outside JIS X 0208 and the CP932 extensions, such as 剝) is an error naming it: a figure or
    /// a name is never silently replaced.
    static func encode(_ utf8: Data, as encoding: Encoding) throws -> Data {
        guard encoding == .shiftJIS else { return utf8 }
        let text = String(decoding: utf8.dropFirst(byteOrderMark.count), as: UTF8.self)
        var bytes = Data()
        for character in text {
            let mapped = shiftJISLookalikes[character] ?? character
            guard let encoded = String(mapped).data(using: .shiftJIS) else {
                throw UnencodableCharacter(character: character)
            }
            bytes.append(encoded)
        }
        return bytes
    }

    struct UnencodableCharacter: Error, CustomStringConvertible {
        let character: Character
        var description: String {
            let code = character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
            return "the CSV cannot be written in Shift_JIS: it has no code for \"\(character)\" (\(code)); use --csv-encoding utf-8"
        }
    }
}
