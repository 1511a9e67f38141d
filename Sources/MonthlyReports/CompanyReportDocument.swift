import Documents
import Foundation
import NightshiftCore

/// The company usage report (月次利用レポート), one A4 page: the figures against the month before,
/// the daily active users and approaches with the month before faint behind them, the month's
/// invoice, and the definitions (texts from `templates/report/`).
enum CompanyReportDocument {
    static let templateNames = ["company_intro", "company_notes"]
    static let font = "IPAexGothic"

    static func draw(_ report: CompanyReport, templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        let month = CalendarMonth(report.month)!
        let title = "月次利用レポート \(month.japanese) \(report.companyName)"
        let canvas = try PDFCanvas(path: path, font: font, title: title, creationDate: month.firstDay + "T00:00:00")
        let left = 50.0, width = PDFCanvas.a4Width - 100
        canvas.text("月次利用レポート", x: left, y: 40, width: width, size: 20, align: .center)
        canvas.text(month.japanese, x: left, y: 68, width: width, size: 11, align: .center, gray: 0.3)
        var y = 96.0
        let intro = templates.render("company_intro", ["company": report.companyName, "month": month.japanese])
        y += canvas.fittedText(intro, x: left, y: y, width: width, fitting: .init(size: 10, minSize: 8, maxLines: 5)).height + 12

        y = ReportTable.comparison(report.usage.lines).draw(on: canvas, x: left, y: y, width: width) + 16
        let days = (1...month.dayCount).map(String.init)
        let now = report.usage.current, before = report.usage.previous
        for (title, current, previous) in [("日別アクティブユーザー", now?.dailyActiveUsers, before?.dailyActiveUsers),
                                           ("日別アプローチ数", now?.dailyApproaches, before?.dailyApproaches)] {
            canvas.text(title, x: left, y: y, width: width, size: 10)
            comparison(days: days, month: month.japanese, current: current ?? [], previous: previous ?? [])
                .draw(on: canvas, x: left, y: y + 14, width: width, height: 120)
            y += 146
        }
        let invoice = report.invoice.map { "当月のご請求: \($0.number) \(YenFormat.string($0.totalYen))(税込)" }
            ?? "当月の請求書はありません。"
        canvas.text(invoice, x: left, y: y, width: width, size: 10)
        y += 22
        let notes = templates.render("company_notes", ["days": report.usage.current?.days ?? 0])
        canvas.text(notes, x: left, y: y, width: width, size: 8, gray: 0.3)
        try canvas.finish()
    }

    /// The month as a strong line, the month before (when it has data) faint and dashed behind it.
    static func comparison(days: [String], month: String, current: [Double?], previous: [Double?]) -> LineChart {
        let before = LineChart.Series(name: "前月", values: previous, stroke: Stroke(color: .gray(0.6), width: 1.1, dash: [3, 2]))
        let now = LineChart.Series(name: month, values: current, stroke: Palette.stroke(0))
        return LineChart(positions: days, series: previous.contains { $0 != nil } ? [before, now] : [now])
    }

    static func comparison(days: [String], month: String, current: [Int?], previous: [Int?]) -> LineChart {
        comparison(days: days, month: month, current: current.map { $0.map(Double.init) }, previous: previous.map { $0.map(Double.init) })
    }
}
