import Foundation

/// An axis from data: "nice" round ticks (1, 2 or 5 × a power of ten) that cover the values, after
/// Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990).
public struct AxisScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let step: Double

    /// Covers `minimum…maximum` with about `ticks` intervals. A range of one value is widened to
    /// show it (0…1 for zero); counts start at zero when `fromZero`.
    public init(minimum: Double, maximum: Double, ticks: Int = 5, fromZero: Bool = true) {
        var low = fromZero ? min(0, minimum) : minimum, high = fromZero ? max(0, maximum) : maximum
        if high - low < 1e-12 {
            if high == 0 { high = 1 } else { (low, high) = (low - abs(low) * 0.5, high + abs(high) * 0.5) }
            if fromZero { low = min(0, low) }
        }
        let step = AxisScale.nice((high - low) / Double(max(1, ticks)), round: true)
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        self.step = step
    }

    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Where `value` falls, 0 at `lower` and 1 at `upper`.
    public func fraction(_ value: Double) -> Double { (value - lower) / (upper - lower) }

    /// A tick's label: as many decimals as the step needs, grouped thousands.
    public func label(_ value: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        return YenFormat.grouped(abs(value) < step / 1e6 ? 0 : value, decimals: decimals)
    }

    /// A 1, 2, 5 or 10 times a power of ten near `value`: the nearest (`round`) or the next above.
    static func nice(_ value: Double, round: Bool) -> Double {
        let exponent = log10(value).rounded(.down)
        let fraction = value / pow(10, exponent)
        let niceFraction: Double
        if round {
            niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return niceFraction * pow(10, exponent)
    }
}
