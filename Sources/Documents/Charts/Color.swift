import Foundation

/// An RGB colour, each component 0…1.
public struct Color: Sendable, Equatable {
    public let red: Double
    public let green: Double
    public let blue: Double

    public init(red: Double, green: Double, blue: Double) { (self.red, self.green, self.blue) = (red, green, blue) }

    public static func gray(_ level: Double) -> Color { Color(red: level, green: level, blue: level) }

    /// `#RRGGBB`.
    init(hex: UInt32) {
        self.init(red: Double(hex >> 16 & 0xFF) / 255, green: Double(hex >> 8 & 0xFF) / 255, blue: Double(hex & 0xFF) / 255)
    }

    /// Perceived lightness 0…1 (Rec. 709 luma): what a greyscale print shows.
    public var luma: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    /// This colour mixed towards white by `amount` (0 = as is, 1 = white).
    public func faded(_ amount: Double) -> Color {
        Color(red: red + (1 - red) * amount, green: green + (1 - green) * amount, blue: blue + (1 - blue) * amount)
    }
}

/// How a line is drawn: colour, width and dash pattern (points on, off, …; empty = solid).
public struct Stroke: Sendable {
    public var color: Color
    public var width: Double
    public var dash: [Double]

    public init(color: Color, width: Double = 1, dash: [Double] = []) { (self.color, self.width, self.dash) = (color, width, dash) }
}

/// Colours for charts that people with colour-vision deficiencies tell apart (Okabe & Ito, "Color
/// Universal Design"), each series also given its own dash so that a greyscale print still
/// separates them; and a one-hue ramp for heatmaps whose lightness alone carries the value.
public enum Palette {
    public static let series: [Color] = [0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442].map(Color.init(hex:))
    public static let dashes: [[Double]] = [[], [5, 2.5], [1.5, 2], [6, 2, 1.5, 2]]

    public static func stroke(_ index: Int, width: Double = 1.4) -> Stroke {
        Stroke(color: series[index % series.count], width: width, dash: dashes[index % dashes.count])
    }

    /// A value 0…1 as a blue from near-white to dark: monotonic in lightness, so it reads in grey.
    public static func ramp(_ value: Double) -> Color {
        let t = min(1, max(0, value))
        return Color(red: 0.97 - 0.94 * t, green: 0.98 - 0.74 * t, blue: 1.0 - 0.55 * t)
    }
}
