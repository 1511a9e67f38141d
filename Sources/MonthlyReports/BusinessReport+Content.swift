import CSV
import Documents
import Foundation
import NightshiftCore

extension BusinessReport: ReportContent {
    static let kind = "business"
    static let templateNames = BusinessReportDocument.templateNames
    var subjectID: Int { businessID }
    var fileStem: String { String(businessID) }

    func draw(templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        try BusinessReportDocument.draw(self, templates: templates, font: font, to: path)
    }

    func check(_ read: PDFText) throws {
        guard read.pageCount == 3 else { throw DocumentError("the PDF has \(read.pageCount) pages, not 3") }
        try Self.require(read, [("business", businessName), ("working rate", headline)])
    }

    /// The same figures as the PDF, every list whole: the rates table, then the days, the
    /// weekday × hour cells, the slots of the day, the casts, and the failed collections.
    func csv() throws -> Data {
        try ReportCSV.make { csv in
            try csv.write(row: ["月次稼働レポート", businessName, month])
            try csv.write(row: [""])
            try csv.write(row: ["項目", "当月", "前月", "前月比", "前年同月", "前年比"])
            for line in rateLines {
                try csv.write(row: [line.label, RateLine.plain(line.current, line.isRate), RateLine.plain(line.previous, line.isRate),
                                    line.changeFromPrevious, RateLine.plain(line.yearAgo, line.isRate), line.changeFromYearAgo])
            }
            try csv.write(row: [""])
            try csv.write(row: ["日", "サンプル", "出勤サンプル", "接客サンプル", "予定回数", "成功回数", "失敗回数"])
            let period = rates.current
            let days = Dictionary(uniqueKeysWithValues: collectionDays.map { (Int($0.day.suffix(2)) ?? 0, $0) })
            for index in 0..<(period?.dailySamples.count ?? 0) {
                let counts = [period?.dailySamples[index], period?.dailyOnShift[index], period?.dailyBusy[index],
                              days[index + 1]?.expectedSlots, days[index + 1]?.okSlots, days[index + 1]?.failed]
                try csv.write(row: [String(index + 1)] + counts.map { $0.map(String.init) ?? "" })
            }
            try csv.write(row: [""])
            try csv.write(row: ["曜日", "時", "サンプル", "出勤サンプル", "接客サンプル"])
            for cell in cells.sorted(by: { ($0.weekday, $0.hour) < ($1.weekday, $1.hour) }) {
                try csv.write(row: [Self.weekdays[cell.weekday - 1], "\(cell.hour)", "\(cell.samples)", "\(cell.onShift)", "\(cell.busy)"])
            }
            try csv.write(row: [""])
            try csv.write(row: ["時刻", "成功した収集回数", "出勤サンプル", "平均出勤キャスト数"])
            for slot in slots {
                try csv.write(row: [slot.time, "\(slot.collections)", "\(slot.onShift)", String(format: "%.2f", slot.meanOnShift)])
            }
            try csv.write(row: [""])
            try csv.write(row: ["順位", "キャスト", "出勤サンプル", "接客サンプル", "稼働率(%)"])
            for (index, cast) in topCasts.enumerated() {
                try csv.write(row: ["\(index + 1)", cast.name, "\(cast.onShift)", "\(cast.busy)", RateLine.plain(cast.workingRate, true)])
            }
            for (title, casts) in [("新規キャスト(初回掲載日)", newCasts), ("30日以上掲載のないキャスト(最終掲載日)", vanishedCasts)] {
                try csv.write(row: [""])
                try csv.write(row: [title, "日"])
                for cast in casts { try csv.write(row: [cast.name, cast.day]) }
            }
            try csv.write(row: [""])
            try csv.write(row: ["失敗した収集(収集率90%未満の日)", "営業日", "HTTP", "エラー"])
            for failure in failedCollections {
                try csv.write(row: [failure.slot, failure.day, failure.httpStatus.map(String.init) ?? "", failure.error ?? ""])
            }
        }
    }
}
