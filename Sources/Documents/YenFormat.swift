/// Integer yen for documents: `¥1,234,567`, `-¥500`. No floating point on the way.
public enum YenFormat {
    public static func string(_ yen: Int) -> String {
        (yen < 0 ? "-¥" : "¥") + grouped(Int(yen.magnitude))
    }

    /// `1,234` without the currency sign, for quantities.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }

    /// `1,234.5`: grouped, `decimals` places, halves rounded away from zero (for display only:
    /// the figures behind it stay exact).
    public static func grouped(_ value: Double, decimals: Int) -> String {
        let scale = (0..<decimals).reduce(1) { product, _ in product * 10 }
        let scaled = Int((value * Double(scale)).rounded(.toNearestOrAwayFromZero))
        let whole = grouped(Int(scaled.magnitude / UInt(scale)))
        let sign = scaled < 0 ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        let fraction = String(scaled.magnitude % UInt(scale))
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
