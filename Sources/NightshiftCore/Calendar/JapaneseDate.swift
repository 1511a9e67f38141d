import Foundation
import Postgres

/// Dates as Japanese documents and mails write them (`2026年11月1日`, `2026年10月`).
public enum JapaneseDate {
    /// `2026-11-01` → `2026年11月1日`; anything else is returned as it is.
    public static func string(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return iso }
        return "\(parts[0])年\(parts[1])月\(parts[2])日"
    }

    /// `2026-10-05` → `10月5日(月)`: a day within a month's report; anything else as it is.
    public static func shortDay(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 3 else { return iso }
        // 1970-01-01 (day 0) was a Thursday.
        let weekday = Int((CivilCalendar.daysFromCivil(parts[0], parts[1], parts[2]) % 7 + 7 + 3) % 7)
        return "\(parts[1])月\(parts[2])日(\(["月", "火", "水", "木", "金", "土", "日"][weekday]))"
    }

    public static func month(year: Int, month: Int) -> String { "\(year)年\(month)月" }
}
