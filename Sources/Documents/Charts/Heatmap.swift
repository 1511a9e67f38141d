import Foundation

/// A grid of shares (0…1) — days of the week down, hours across — each cell's lightness its value
/// (readable in greyscale), an empty cell where there is no data, and a scale bar beside it.
public struct Heatmap {
    public var rows: [String]
    public var columns: [String]
    /// `values[row][column]`, 0…1; nil = no data.
    public var values: [[Double?]]

    public init(rows: [String], columns: [String], values: [[Double?]]) { (self.rows, self.columns, self.values) = (rows, columns, values) }

    public func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) {
        let size = ChartFrame.textSize
        let left = (rows.map { canvas.measure($0, size: size) }.max() ?? 0) + 6, scaleWidth = 44.0
        let cellWidth = (width - left - scaleWidth) / Double(max(columns.count, 1))
        let cellHeight = (height - 14) / Double(max(rows.count, 1))
        for (rowIndex, name) in rows.enumerated() {
            let top = y + Double(rowIndex) * cellHeight
            canvas.text(name, x: x, y: top + cellHeight / 2 - 4.2, width: left - 4, size: size, align: .right, gray: 0.25)
            for (columnIndex, value) in values[rowIndex].enumerated() {
                let cellX = x + left + Double(columnIndex) * cellWidth
                if let value {
                    canvas.fill(x: cellX, y: top, width: cellWidth - 0.6, height: cellHeight - 0.6, color: Palette.ramp(value))
                } else {
                    canvas.strokeRectangle(x: cellX + 0.3, y: top + 0.3, width: cellWidth - 1.2, height: cellHeight - 1.2,
                                           stroke: Stroke(color: .gray(0.85), width: 0.3))
                }
            }
        }
        let every = max(1, Int(((canvas.measure("00", size: size) + 4) / cellWidth).rounded(.up)))
        for (index, name) in columns.enumerated() where index % every == 0 {
            canvas.text(name, x: x + left + Double(index) * cellWidth, y: y + Double(rows.count) * cellHeight + 3, width: cellWidth * 3,
                        size: size, gray: 0.25)
        }
        // The scale: 0 % at the bottom, 100 % at the top.
        let barX = x + width - scaleWidth + 10, steps = 20
        let barHeight = Double(rows.count) * cellHeight
        for step in 0..<steps {
            let value = Double(step) / Double(steps - 1)
            canvas.fill(x: barX, y: y + barHeight * (1 - Double(step + 1) / Double(steps)), width: 8, height: barHeight / Double(steps) + 0.2,
                        color: Palette.ramp(value))
        }
        canvas.text("100%", x: barX + 10, y: y - 1, width: 30, size: size, gray: 0.25)
        canvas.text("0%", x: barX + 10, y: y + barHeight - 8, width: 30, size: size, gray: 0.25)
    }
}
