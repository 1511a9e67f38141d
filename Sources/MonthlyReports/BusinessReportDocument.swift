import Documents
import Foundation
import NightshiftCore

/// The business working-rate report (月次稼働レポート), three A4 pages: the rates against the
/// month before and a year earlier with their definitions and the daily trend; where in the week
/// and the day the casts worked; the casts, and how completely the month was collected.
enum BusinessReportDocument {
    static let templateNames = ["business_intro", "business_definitions"]
    static let left = 50.0, width = PDFCanvas.a4Width - 100

    static func draw(_ report: BusinessReport, templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        let month = CalendarMonth(report.month)!
        let canvas = try PDFCanvas(path: path, font: font, title: "月次稼働レポート \(month.japanese) \(report.businessName)",
                                   creationDate: month.firstDay + "T00:00:00")
        ratesPage(report, month, templates, canvas)
        canvas.newPage()
        activityPage(report, canvas)
        canvas.newPage()
        castsAndQualityPage(report, canvas)
        try canvas.finish()
    }

    static func section(_ title: String, y: Double, _ canvas: PDFCanvas) -> Double {
        canvas.text(title, x: left, y: y, width: width, size: 11)
        return y + 18
    }

    private static func ratesPage(_ report: BusinessReport, _ month: CalendarMonth, _ templates: TextTemplates, _ canvas: PDFCanvas) {
        canvas.text("月次稼働レポート", x: left, y: 40, width: width, size: 20, align: .center)
        canvas.text(month.japanese, x: left, y: 68, width: width, size: 11, align: .center, gray: 0.3)
        var y = 92.0
        let intro = templates.render("business_intro", ["business": report.businessName, "month": month.japanese, "opens": report.opens,
                                                        "closes": report.closes, "zone": report.timeZone])
        y += canvas.fittedText(intro, x: left, y: y, width: width, fitting: .init(size: 9.5, minSize: 8, maxLines: 6)).height + 10
        let rows = report.rateLines.map { [$0.label, $0.shownCurrent, $0.shownPrevious, $0.changeFromPrevious, $0.shownYearAgo,
                                           $0.changeFromYearAgo] }
        y = ReportTable(headers: ["項目", "当月", "前月", "前月比", "前年同月", "前年比"], rows: rows,
                        columns: [0, 185, 250, 310, 375, 440]).draw(on: canvas, x: left, y: y, width: width) + 8
        let definitions = templates.render("business_definitions", [
            "samples": FigureFormat.number(Double(report.rates.current?.samples ?? 0)),
            "onShift": FigureFormat.number(Double(report.rates.current?.onShiftSamples ?? 0)),
        ])
        y += canvas.fittedText(definitions, x: left, y: y, width: width, fitting: .init(size: 8, minSize: 7, maxLines: 8)).height + 14
        let days = (1...month.dayCount).map(String.init)
        let now = report.rates.current, before = report.rates.previous
        for (title, numerator, denominator) in [("日別稼働率(%)", \BusinessRates.Period.dailyBusy, \BusinessRates.Period.dailyOnShift),
                                                ("日別出勤率(%)", \.dailyOnShift, \.dailySamples)] {
            canvas.text(title, x: left, y: y, width: width, size: 10)
            trend(days: days, month: month.japanese, current: BusinessReport.daily(now, { $0[keyPath: numerator] }, { $0[keyPath: denominator] }),
                  previous: BusinessReport.daily(before, { $0[keyPath: numerator] }, { $0[keyPath: denominator] }))
                .draw(on: canvas, x: left, y: y + 14, width: width, height: 130)
            y += 156
        }
    }

    /// A daily share in percent on a 0–100 axis, the month before faint and dashed behind it.
    static func trend(days: [String], month: String, current: [Double?], previous: [Double?]) -> LineChart {
        var chart = CompanyReportDocument.comparison(days: days, month: month, current: current, previous: previous)
        chart.unit = "%"
        chart.ceiling = 100
        return chart
    }

    private static func activityPage(_ report: BusinessReport, _ canvas: PDFCanvas) {
        var y = section("曜日×時間帯の稼働率(接客中 ÷ 出勤中)", y: 40, canvas)
        let height = 150.0
        for (index, (title, share)) in [
            ("", { (cell: BusinessReport.Cell) in cell.onShift == 0 ? nil : Double(cell.busy) / Double(cell.onShift) }),
            ("曜日×時間帯の出勤率(出勤中 ÷ 掲載キャスト)", { (cell: BusinessReport.Cell) in
                cell.samples == 0 ? nil : Double(cell.onShift) / Double(cell.samples) }),
        ].enumerated() {
            if index > 0 { y = section(title, y: y, canvas) }
            let grid = report.grid(share)
            Heatmap(rows: grid.rows, columns: grid.columns, values: grid.values).draw(on: canvas, x: left, y: y, width: width, height: height)
            canvas.text("行は営業日の曜日(日をまたぐ営業の深夜は開店日の曜日)、列は現地時刻の時。空欄はデータなし。",
                        x: left, y: y + height + 4, width: width, size: 7, gray: 0.35)
            y += height + 30
        }
        y = section("時間帯別の平均出勤キャスト数(収集に成功した回の平均)", y: y, canvas)
        BarChart(categories: report.slots.map(\.time),
                 series: [LineChart.Series(name: "出勤キャスト数", values: report.slots.map { $0.meanOnShift }, stroke: Palette.stroke(0))],
                 unit: "名").draw(on: canvas, x: left, y: y, width: width, height: 170)
    }
}
