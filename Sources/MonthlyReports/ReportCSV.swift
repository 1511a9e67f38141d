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
}
