/// A table for a terminal: a header row, columns aligned by display width — East Asian wide and
/// fullwidth characters take two columns, combining marks none — so Japanese names line up
/// with Latin ones; right-aligned columns for numbers; long cells cut with `…`.
public struct TextTable {
    public var headers: [String]
    public var rightAligned: Set<Int>
    public var maxCellWidth: Int

    public init(headers: [String], rightAligned: Set<Int> = [], maxCellWidth: Int = 60) {
        self.headers = headers
        self.rightAligned = rightAligned
        self.maxCellWidth = maxCellWidth
    }

    public func render(_ rows: [[String]], indent: String = "") -> String {
        let cells = rows.map { $0.map { TextTable.cut($0.replacingOccurrences(of: "\n", with: " "), to: maxCellWidth) } }
        let widths = headers.indices.map { index in
            ([headers[index]] + cells.map { index < $0.count ? $0[index] : "" }).map(TextTable.displayWidth).max() ?? 0
        }
        func line(_ values: [String]) -> String {
            let padded = headers.indices.map { index -> String in
                let value = index < values.count ? values[index] : ""
                let fill = String(repeating: " ", count: widths[index] - TextTable.displayWidth(value))
                return rightAligned.contains(index) ? fill + value : value + fill
            }
            var text = indent + padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(headers)] + cells.map(line)).joined(separator: "\n")
    }

    /// Columns `text` takes on a terminal.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                                           0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                                           0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    static func cut(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        var out = "", used = 0
        for character in text {
            let w = displayWidth(String(character))
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}

/// `1 day`, `2 days`.
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
