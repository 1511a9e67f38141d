import Foundation

/// Bars per category (casts on shift per time slot), one bar per series side by side; the first
/// series is the strong colour, the others lighter.
public struct BarChart {
    public var categories: [String]
    public var series: [LineChart.Series]
    public var unit: String
    /// The axis reaches at least this far (100 for a share in percent), whatever the data.
    public var ceiling: Double?

    public init(categories: [String], series: [LineChart.Series], unit: String = "") {
        (self.categories, self.series, self.unit) = (categories, series, unit)
    }

    public func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) {
        let values = series.flatMap { $0.values.compactMap { $0 } }
        let scale = AxisScale(minimum: values.min() ?? 0, maximum: max(values.max() ?? 1, ceiling ?? -Double.infinity))
        let frame = ChartFrame(canvas: canvas, scale: scale, unit: unit, box: (x, y, width, height),
                               legend: series.count > 1 ? series.map { ($0.name, Stroke(color: $0.stroke.color, width: 5)) } : [])
        frame.drawValueAxis()
        frame.drawPositions(categories)
        let slot = frame.plot.width / Double(max(categories.count, 1))
        let barWidth = slot * 0.8 / Double(max(series.count, 1))
        for (seriesIndex, bars) in series.enumerated() {
            for (index, value) in bars.values.enumerated() {
                guard let value else { continue }
                let left = frame.plot.x + slot * (Double(index) + 0.1) + barWidth * Double(seriesIndex)
                let top = frame.y(of: max(value, 0)), base = frame.y(of: 0)
                canvas.fill(x: left, y: top, width: barWidth, height: base - top, color: bars.stroke.color)
            }
        }
    }
}
