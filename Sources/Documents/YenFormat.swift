/// Integer yen for documents: `¥1,234,567`, `-¥500`. No floating point on the way.
public enum YenFormat {
    public static func string(_ yen: Int) -> String {
        let digits = String(yen.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (yen < 0 ? "-¥" : "¥") + grouped
    }

    /// `1,234` without the currency sign, for quantities.
    public static func grouped(_ value: Int) -> String {
        String(string(value).replacingOccurrences(of: "¥", with: ""))
    }
}
