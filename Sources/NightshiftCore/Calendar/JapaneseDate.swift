import Foundation

/// Dates as Japanese documents and mails write them (`2026年11月1日`, `2026年10月`).
public enum JapaneseDate {
    /// `2026-11-01` → `2026年11月1日`; anything else is returned as it is.
    public static func string(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return iso }
        return "\(parts[0])年\(parts[1])月\(parts[2])日"
    }

    public static func month(year: Int, month: Int) -> String { "\(year)年\(month)月" }
}
