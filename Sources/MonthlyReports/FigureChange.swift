import Documents
import Foundation

/// A figure against the month before, as a report shows it: the difference and the ratio, with
/// "—" where there is nothing to compare with (no data the month before, or a ratio to zero) —
/// never 0 % or infinity.
public struct FigureChange: Sendable, Equatable {
    public let difference: String
    public let percent: String

    public init(current: Double, previous: Double?, decimals: Int = 0) {
        guard let previous else {
            (difference, percent) = ("—", "—")
            return
        }
        difference = FigureChange.signed(current - previous, decimals: decimals)
        percent = previous == 0 ? "—" : FigureChange.signed((current - previous) / previous * 100, decimals: 1) + "%"
    }

    /// `+32`, `−4` (a true minus sign), `±0`; grouped thousands.
    static func signed(_ value: Double, decimals: Int) -> String {
        let rounded = (value * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))
        let magnitude = FigureFormat.number(abs(rounded), decimals: decimals)
        return rounded > 0 ? "+" + magnitude : rounded < 0 ? "\u{2212}" + magnitude : "±" + magnitude
    }
}

/// Numbers as the reports print them: grouped thousands, a fixed number of decimals.
public enum FigureFormat {
    public static func number(_ value: Double, decimals: Int = 0) -> String { YenFormat.grouped(value, decimals: decimals) }
}
