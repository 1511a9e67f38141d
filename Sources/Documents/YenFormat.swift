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
}
