import Documents
import Foundation

/// A table of a report page: a shaded header row, then rows with a rule under each; the first
/// column (and any in `textColumns`) left-aligned, the others (numbers) right-aligned.
struct ReportTable {
    var headers: [String]
    var rows: [[String]]
    /// Each column's left edge from the table's left, in points; the last column ends at the width.
    var columns: [Double]
    /// Further columns of text rather than numbers.
    var textColumns: Set<Int> = []

    /// Draws at (x, y) `width` wide; returns where it ends.
    @discardableResult
    func draw(on canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        func cells(_ values: [String], at top: Double) {
            for (index, value) in values.enumerated() {
                let left = columns[index], right = index + 1 < columns.count ? columns[index + 1] : width
                canvas.text(value, x: x + left + 4, y: top, width: right - left - 8, size: 9, align: index == 0 || textColumns.contains(index) ? .left : .right)
            }
        }
        canvas.fill(x: x, y: y, width: width, height: 18, gray: 0.88)
        cells(headers, at: y + 4)
        var rowY = y + 18
        for row in rows {
            cells(row, at: rowY + 3)
            rowY += 16
            canvas.line(from: (x, rowY), to: (x + width, rowY), width: 0.3, gray: 0.7)
        }
        return rowY
    }

    /// 項目 / 当月 / 前月 / 増減 / 増減率 for figures against the month before.
    static func comparison(_ lines: [FigureLine]) -> ReportTable {
        ReportTable(headers: ["項目", "当月", "前月", "増減", "増減率"], rows: lines.map { line in
            [line.label, FigureLine.shown(line.current, decimals: line.decimals), FigureLine.shown(line.previous, decimals: line.decimals),
             line.change.difference, line.change.percent]
        }, columns: [0, 210, 290, 370, 440])
    }
}
