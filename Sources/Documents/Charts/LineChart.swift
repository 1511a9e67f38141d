import Foundation

/// Values along a sequence (days of a month), each series a line with its own colour and dash,
/// on round-valued gridlines; a comparison series (the previous month) can be drawn faint behind.
public struct LineChart {
    public struct Series {
        public var name: String
        /// One value per position; nil leaves a gap (no data that day).
        public var values: [Double?]
        public var stroke: Stroke

        public init(name: String, values: [Double?], stroke: Stroke) { (self.name, self.values, self.stroke) = (name, values, stroke) }
    }

    public var positions: [String]
    public var series: [Series]
    /// The value axis's unit, above it ("名", "%").
    public var unit: String
    public var fromZero = true
    /// The axis reaches at least this far (100 for a share in percent), whatever the data.
    public var ceiling: Double?

    public init(positions: [String], series: [Series], unit: String = "") {
        (self.positions, self.series, self.unit) = (positions, series, unit)
    }

    /// Draws into the box; text at 7 pt.
    public func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) {
        let values = series.flatMap { $0.values.compactMap { $0 } }
        let maximum = max(values.max() ?? 1, ceiling ?? -Double.infinity)
        let scale = AxisScale(minimum: values.min() ?? 0, maximum: maximum, fromZero: fromZero)
        let frame = ChartFrame(canvas: canvas, scale: scale, unit: unit, box: (x, y, width, height), legend: series.map { ($0.name, $0.stroke) })
        frame.drawValueAxis()
        frame.drawPositions(positions)
        for line in series {
            let points: [(x: Double, y: Double)?] = line.values.enumerated().map { index, value in
                value.map { (frame.center(of: index, among: positions.count), frame.y(of: $0)) }
            }
            canvas.polyline(points, stroke: line.stroke)
        }
    }
}

/// The parts every chart shares: the plot area inside the box, gridlines and labels on round
/// values, position labels that never overlap, and a legend above the plot.
struct ChartFrame {
    static let textSize = 7.0
    let canvas: PDFCanvas
    let scale: AxisScale
    let unit: String
    let plot: (x: Double, y: Double, width: Double, height: Double)
    let legend: [(name: String, stroke: Stroke)]
    let top: Double

    init(canvas: PDFCanvas, scale: AxisScale, unit: String, box: (x: Double, y: Double, width: Double, height: Double),
         legend: [(name: String, stroke: Stroke)]) {
        let labelWidth = scale.ticks.map { canvas.measure(scale.label($0), size: ChartFrame.textSize) }.max() ?? 0
        let left = labelWidth + 6, legendHeight = legend.isEmpty && unit.isEmpty ? 0.0 : 14, bottom = 14.0
        plot = (box.x + left, box.y + legendHeight, box.width - left - 2, box.height - legendHeight - bottom)
        (self.canvas, self.scale, self.unit, self.legend, top) = (canvas, scale, unit, legend, box.y)
    }

    func y(of value: Double) -> Double { plot.y + plot.height * (1 - scale.fraction(value)) }

    func center(of index: Int, among count: Int) -> Double { plot.x + plot.width * (Double(index) + 0.5) / Double(max(count, 1)) }

    func drawValueAxis() {
        for tick in scale.ticks {
            let tickY = y(of: tick)
            canvas.line(from: (plot.x, tickY), to: (plot.x + plot.width, tickY), width: tick == 0 ? 0.6 : 0.25,
                        gray: tick == 0 ? 0.3 : 0.78)
            canvas.text(scale.label(tick), x: plot.x - 60, y: tickY - 4.2, width: 56, size: ChartFrame.textSize, align: .right, gray: 0.25)
        }
        if !unit.isEmpty { canvas.text(unit, x: plot.x - 60, y: top, width: 56, size: ChartFrame.textSize, align: .right, gray: 0.25) }
        var legendX = plot.x + plot.width
        for entry in legend.reversed() {
            let textWidth = canvas.measure(entry.name, size: ChartFrame.textSize)
            legendX -= textWidth + 26
            canvas.polyline([(legendX, top + 5), (legendX + 18, top + 5)], stroke: entry.stroke)
            canvas.text(entry.name, x: legendX + 21, y: top + 1, width: textWidth + 2, size: ChartFrame.textSize, gray: 0.2)
        }
    }

    /// Labels under the plot: every position when they fit, else every n-th (always the first).
    func drawPositions(_ names: [String]) {
        guard !names.isEmpty else { return }
        let slot = plot.width / Double(names.count)
        let widest = names.map { canvas.measure($0, size: ChartFrame.textSize) }.max() ?? 0
        let every = max(1, Int(((widest + 4) / slot).rounded(.up)))
        for (index, name) in names.enumerated() where index % every == 0 {
            let centerX = center(of: index, among: names.count)
            canvas.text(name, x: centerX - 20, y: plot.y + plot.height + 3, width: 40, size: ChartFrame.textSize, align: .center,
                        gray: 0.25)
        }
    }
}
