import NightshiftCore

/// `PREFIX-YYYYMM-CCCCCC-KKKKKK`: the billing month, the company id and the contract id, zero
/// padded. Deterministic (a rerun or re-render computes the same number), unique because a
/// contract has one invoice per month, and sortable by month then company.
public enum InvoiceNumber {
    public static func make(prefix: String, month: CalendarMonth, companyID: Int, contractID: Int) -> String {
        "\(prefix)-\(month.compact)-\(padded(companyID))-\(padded(contractID))"
    }

    static func padded(_ id: Int) -> String {
        let digits = String(id)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }
}
