/// 適格請求書発行事業者登録番号: `T` and 13 digits. For a corporation the digits are its corporate
/// number (法人番号), whose first digit is a check digit over the other twelve (財務省令第70号
/// 第2条): 9 − (Σ Pₙ × Qₙ mod 9), Pₙ the n-th digit counted from the right of the twelve, Qₙ 1
/// for odd n and 2 for even n. A mistyped digit then fails the check instead of making every
/// invoice useless for the customer's tax credit.
public enum RegistrationNumber {
    public enum Problem: Equatable, CustomStringConvertible {
        case malformed
        case checkDigit(expected: Int)

        public var description: String {
            switch self {
            case .malformed: return "T followed by 13 digits (e.g. T9234567890123)"
            case .checkDigit(let expected):
                return "a valid check digit: the first of the 13 digits should be \(expected) for the other twelve (a typo?)"
            }
        }
    }

    /// Nil when `text` is a well-formed registration number with a correct check digit.
    public static func problem(_ text: String, checkDigit: Bool = true) -> Problem? {
        guard text.count == 14, text.first == "T" else { return .malformed }
        let digits = text.dropFirst().compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 13 else { return .malformed }
        guard checkDigit else { return nil }
        let expected = Self.checkDigit(of: Array(digits.dropFirst()))
        return digits[0] == expected ? nil : .checkDigit(expected: expected)
    }

    /// The check digit of a 12-digit base number (most significant digit first).
    public static func checkDigit(of base: [Int]) -> Int {
        let sum = base.reversed().enumerated().reduce(0) { total, entry in
            total + entry.element * (entry.offset % 2 == 0 ? 1 : 2)
        }
        return 9 - sum % 9
    }
}
