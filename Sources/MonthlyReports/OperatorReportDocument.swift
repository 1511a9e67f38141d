import CSV
import Documents
import Foundation
import NightshiftCore

/// The operator's report (運用月次レポート), two A4 pages: usage and revenue, then engineers and
/// the jobs' month.
extension OperatorReport: ReportContent {
    static let kind = "operator"
    static let templateNames = ["operator_intro"]
    var subjectID: Int { 0 }
    var fileStem: String { "operator" }

    var revenueLines: [FigureLine] {
        func line(_ label: String, _ value: (Revenue) -> Int) -> FigureLine {
            FigureLine(label: label, current: Double(value(revenue ?? Revenue())), previous: previousRevenue.map { Double(value($0)) })
        }
        return [line("請求書数") { $0.invoices }, line("小計(税抜, 円)") { $0.subtotalYen }, line("消費税(円)") { $0.taxYen },
                line("合計(税込, 円)") { $0.totalYen }]
    }

    var otherRows: [[String]] {
        [["新規契約(前月に請求なし)", "\(newContracts)"], ["解約・終了(当月に請求なし)", "\(lostContracts)"],
         ["未送信の請求書", "\(unsentInvoices)"],
         ["エンジニア登録数(月末)", "\(engineers.registered)"], ["うちアクティブ", "\(engineers.active)"],
         ["新規エンジニア", "\(engineers.added)"], ["削除されたエンジニア", "\(engineers.removed)"]]
    }

    var jobRows: [[String]] {
        func ms(_ value: Int?) -> String { value.map { FigureFormat.number(Double($0)) } ?? "—" }
        return jobs.map { [$0.job, "\($0.runs)", "\($0.failed)", "\($0.partial)", ms($0.p50MS), ms($0.p95MS), ms($0.maxMS), "\($0.openItems)"] }
    }

    static let jobHeaders = ["ジョブ", "実行", "失敗", "一部失敗", "p50 (ms)", "p95 (ms)", "最大 (ms)", "未解決"]

    func draw(templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        let month = CalendarMonth(self.month)!
        let canvas = try PDFCanvas(path: path, font: font, title: "運用月次レポート \(month.japanese)", creationDate: month.firstDay + "T00:00:00")
        let left = 50.0, width = PDFCanvas.a4Width - 100
        canvas.text("運用月次レポート", x: left, y: 40, width: width, size: 20, align: .center)
        canvas.text(month.japanese, x: left, y: 68, width: width, size: 11, align: .center, gray: 0.3)
        var y = 92.0 + canvas.text(templates.render("operator_intro", ["month": month.japanese]), x: left, y: 92, width: width, size: 9)
        y = section("システム全体の利用", y: y + 10, canvas, left, width)
        y = ReportTable.comparison(usage.lines).draw(on: canvas, x: left, y: y, width: width) + 14
        CompanyReportDocument.comparison(days: (1...month.dayCount).map(String.init), month: month.japanese,
                                         current: usage.current?.dailyActiveUsers ?? [], previous: usage.previous?.dailyActiveUsers ?? [])
            .draw(on: canvas, x: left, y: y, width: width, height: 110)
        y = section("売上(当月分の請求書)", y: y + 122, canvas, left, width)
        ReportTable.comparison(revenueLines).draw(on: canvas, x: left, y: y, width: width)

        canvas.newPage()
        y = section("プラン別", y: 40, canvas, left, width)
        let plans = byPlan.map { [$0.plan, "\($0.invoices)", YenFormat.string($0.totalYen)] }
        y = ReportTable(headers: ["プラン", "請求書数", "合計(税込)"], rows: plans, columns: [0, 290, 370])
            .draw(on: canvas, x: left, y: y, width: width) + 14
        y = section("契約とエンジニア", y: y, canvas, left, width)
        y = ReportTable(headers: ["項目", "件数"], rows: otherRows, columns: [0, 370]).draw(on: canvas, x: left, y: y, width: width) + 14
        y = section("ジョブ(当月に始まった実行。スキップは除く)", y: y, canvas, left, width)
        ReportTable(headers: Self.jobHeaders, rows: jobRows, columns: [0, 115, 165, 215, 275, 335, 395, 450])
            .draw(on: canvas, x: left, y: y, width: width)
        try canvas.finish()
    }

    private func section(_ title: String, y: Double, _ canvas: PDFCanvas, _ left: Double, _ width: Double) -> Double {
        canvas.text(title, x: left, y: y, width: width, size: 11)
        return y + 18
    }

    func check(_ read: PDFText) throws {
        try Self.require(read, [("title", "運用月次レポート"), ("revenue", FigureFormat.number(Double(revenue?.totalYen ?? 0)))])
    }

    func csv() throws -> Data {
        try ReportCSV.make { csv in
            try csv.write(row: ["項目", "当月", "前月", "増減", "増減率"])
            for line in usage.lines + revenueLines { try csv.write(row: ReportCSV.cells(line)) }
            try csv.write(row: [""])
            try csv.write(row: ["プラン", "請求書数", "合計(税込, 円)"])
            for plan in byPlan { try csv.write(row: [plan.plan, "\(plan.invoices)", "\(plan.totalYen)"]) }
            try csv.write(row: [""])
            try csv.write(row: ["項目", "件数"])
            for row in otherRows { try csv.write(row: row) }
            try csv.write(row: [""])
            try csv.write(row: Self.jobHeaders)
            for job in jobs {
                try csv.write(row: [job.job, "\(job.runs)", "\(job.failed)", "\(job.partial)"]
                              + [job.p50MS, job.p95MS, job.maxMS].map { $0.map(String.init) ?? "" } + ["\(job.openItems)"])
            }
        }
    }
}
