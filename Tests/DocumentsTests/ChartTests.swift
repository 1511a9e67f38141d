import Documents
import Foundation
import NightshiftCore
import TestSupport
import XCTest

final class AxisScaleTests: XCTestCase {
    func testTicksAreRoundValuesThatCoverTheData() {
        let people = AxisScale(minimum: 0, maximum: 47)
        XCTAssertEqual(people.ticks, [0, 10, 20, 30, 40, 50])
        XCTAssertEqual(people.label(30), "30")

        let rates = AxisScale(minimum: 0.123, maximum: 0.789)  // 0.789 / 5 = 0.158 → 0.2
        XCTAssertEqual(rates.ticks.map { ($0 * 10).rounded() / 10 }, [0, 0.2, 0.4, 0.6, 0.8])
        XCTAssertEqual(rates.label(0.4), "0.4")

        let calls = AxisScale(minimum: 1200, maximum: 1350, fromZero: false)  // 150 / 5 = 30 → 50
        XCTAssertEqual(calls.ticks, [1200, 1250, 1300, 1350])
        XCTAssertEqual(calls.label(1250), "1,250")

        XCTAssertEqual(AxisScale(minimum: -3, maximum: 7).ticks, [-4, -2, 0, 2, 4, 6, 8])
    }

    func testARangeOfOneValueIsWidenedToShowIt() {
        XCTAssertEqual(AxisScale(minimum: 0, maximum: 0).ticks.first, 0)
        XCTAssertEqual(AxisScale(minimum: 0, maximum: 0).ticks.last, 1)
        let flat = AxisScale(minimum: 12, maximum: 12, fromZero: false)
        XCTAssertLessThan(flat.lower, 12)
        XCTAssertGreaterThan(flat.upper, 12)
    }

    func testTheHeatmapRampGetsDarkerWithTheValueSoItReadsInGrey() {
        let lumas = stride(from: 0.0, through: 1.0, by: 0.1).map { Palette.ramp($0).luma }
        XCTAssertEqual(lumas, lumas.sorted(by: >))
        XCTAssertGreaterThan(lumas.first! - lumas.last!, 0.6)
    }
}

/// Charts drawn into a PDF and looked at as pixels (pdftoppm, as a reader's viewer would).
final class ChartDrawingTests: XCTestCase {
    var root: String!

    override func setUpWithError() throws { root = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func testChartsLeaveInkWhereTheyAreDrawnAndTheirLabelsAreText() throws {
        let path = root + "/charts.pdf"
        let days = (1...31).map(String.init)
        let previous: [Double?] = (1...31).map { Double(20 + $0 % 7) }
        let current: [Double?] = (1...31).map { $0 == 15 ? nil : Double(25 + $0 % 9) }
        let line = LineChart(positions: days, series: [
            LineChart.Series(name: "前月", values: previous, stroke: Stroke(color: .gray(0.75), width: 1, dash: [3, 2])),
            LineChart.Series(name: "アクティブユーザー", values: current, stroke: Palette.stroke(0)),
        ], unit: "名")
        var cells: [[Double?]] = []
        for row in 0..<7 {
            cells.append((0..<24).map { hour -> Double? in hour < 6 && row == 0 ? nil : Double((row * 24 + hour) % 10) / 9 })
        }
        let heatmap = Heatmap(rows: ["月", "火", "水", "木", "金", "土", "日"], columns: (0..<24).map { String(format: "%02d", $0) },
                              values: cells)
        let onShift: [Double?] = (0..<24).map { Double(($0 * 5) % 40) }
        let bars = BarChart(categories: (0..<24).map { String(format: "%02d:00", $0) },
                            series: [LineChart.Series(name: "出勤", values: onShift, stroke: Palette.stroke(1))], unit: "人")
        try EmbeddedFont.withFonts(family: "IPAexGothic") { font in
            let canvas = try PDFCanvas(path: path, font: font, title: "charts", creationDate: "2026-11-02T07:00:00")
            line.draw(on: canvas, x: 50, y: 60, width: 495, height: 180)
            heatmap.draw(on: canvas, x: 50, y: 300, width: 495, height: 150)
            bars.draw(on: canvas, x: 50, y: 500, width: 495, height: 160)
            try canvas.finish()
        }
        let text = try PDFText.read(path).text
        for label in ["アクティブユーザー", "前月", "名", "100%", "月", "40"] {
            XCTAssertTrue(text.contains(label), "\(label) in \(text)")
        }
        let page = try GrayPage(pdf: path, in: root)
        // Ink in each chart's plot area; the margin beside them stays white.
        XCTAssertGreaterThan(page.darkShare(x: 80, y: 75, width: 460, height: 150), 0.005, "the series (gridlines are lighter)")
        XCTAssertGreaterThan(page.darkShare(x: 70, y: 300, width: 420, height: 130, below: 0.9), 0.5, "the heatmap's cells")
        XCTAssertGreaterThan(page.darkShare(x: 80, y: 515, width: 460, height: 130, below: 0.8), 0.2, "the bars")
        XCTAssertEqual(page.darkShare(x: 0, y: 700, width: 595, height: 140, below: 0.99), 0, "nothing below the charts")
    }
}
