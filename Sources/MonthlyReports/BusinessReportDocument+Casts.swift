import Documents
import Foundation
import NightshiftCore

extension BusinessReportDocument {
    /// The third page: the top casts, the casts who came and went, and the collection's quality.
    /// Long lists are cut to what fits, with how many more the CSV holds.
    static func castsAndQualityPage(_ report: BusinessReport, _ canvas: PDFCanvas) {
        var y = section("稼働率上位10名(当月の出勤サンプル\(BusinessReport.topCastMinimumOnShift)件以上)", y: 40, canvas)
        let top = report.topCasts.enumerated().map { index, cast in
            ["\(index + 1). \(cast.name)", RateLine.shown(cast.workingRate, true), FigureFormat.number(Double(cast.onShift)),
             FigureFormat.number(Double(cast.busy))]
        }
        y = ReportTable(headers: ["キャスト", "稼働率", "出勤サンプル", "接客サンプル"], rows: top.isEmpty ? [["該当なし", "", "", ""]] : top,
                        columns: [0, 250, 330, 415]).draw(on: canvas, x: left, y: y, width: width) + 14

        let half = (width - 20) / 2, listRows = 6
        var bottom = y
        for (index, (title, header, casts)) in [("新規キャスト(当月初掲載)", "初回", report.newCasts),
                                                 ("30日以上掲載のないキャスト", "最終掲載", report.vanishedCasts)].enumerated() {
            let x = left + Double(index) * (half + 20)
            canvas.text("\(title) \(casts.count)名", x: x, y: y, width: half, size: 10)
            var rows = casts.prefix(listRows).map { [$0.name, JapaneseDate.shortDay($0.day)] }
            if casts.count > listRows { rows.append(["ほか\(casts.count - listRows)名(CSVに全件)", ""]) }
            let end = ReportTable(headers: ["キャスト", header], rows: rows.isEmpty ? [["該当なし", ""]] : rows, columns: [0, half - 80])
                .draw(on: canvas, x: x, y: y + 16, width: half)
            bottom = max(bottom, end)
        }
        y = section("データ品質(日別の収集率)", y: bottom + 14, canvas)
        qualitySection(report, y: y, canvas)
    }

    private static func qualitySection(_ report: BusinessReport, y top: Double, _ canvas: PDFCanvas) {
        let month = CalendarMonth(report.month)!
        var coverage = [Double?](repeating: nil, count: month.dayCount)
        for day in report.collectionDays {
            if let number = Int(day.day.suffix(2)), let share = day.coverage { coverage[number - 1] = share * 100 }
        }
        var chart = BarChart(categories: (1...month.dayCount).map(String.init),
                             series: [LineChart.Series(name: "収集率", values: coverage, stroke: Palette.stroke(0))], unit: "%")
        chart.ceiling = 100
        chart.draw(on: canvas, x: left, y: top, width: width, height: 95)
        var y = top + 101
        let low = report.collectionDays.filter(\.isLow)
        canvas.text("収集率90%未満の日: \(low.count)日(営業時間内の予定回数に対する成功回数)", x: left, y: y, width: width, size: 9)
        y += 16
        guard !low.isEmpty else { return }
        var rows = low.prefix(4).map { day in
            [JapaneseDate.shortDay(day.day), "\(day.expectedSlots)", "\(day.okSlots)", "\(day.failed)",
             "\(max(0, day.expectedSlots - day.okSlots - day.failed))", RateLine.shown(day.coverage, true)]
        }
        if low.count > 4 { rows.append(["ほか\(low.count - 4)日(CSVに全件)", "", "", "", "", ""]) }
        y = ReportTable(headers: ["営業日", "予定", "成功", "失敗", "未収集", "収集率"], rows: rows, columns: [0, 200, 260, 320, 380, 440])
            .draw(on: canvas, x: left, y: y, width: width) + 10
        let failures = report.failedCollections
        var failureRows = failures.prefix(5).map { failure in
            [failure.slot, failure.httpStatus.map(String.init) ?? "—", String((failure.error ?? "").prefix(48))]
        }
        if failures.count > 5 { failureRows.append(["ほか\(failures.count - 5)件(CSVに全件)", "", ""]) }
        ReportTable(headers: ["失敗した収集(現地時刻)", "HTTP", "エラー"], rows: failureRows.isEmpty ? [["記録なし", "", ""]] : failureRows,
                    columns: [0, 130, 180], textColumns: [2]).draw(on: canvas, x: left, y: y, width: width)
    }
}
