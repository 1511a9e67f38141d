import Foundation
import Postgres

/// A calendar month (`YYYY-MM`): what invoices bill and monthly reports cover.
public struct CalendarMonth: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), (2000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month before the one containing `now` in `timeZone`.
    public static func previous(to now: Date, in timeZone: TimeZone) -> CalendarMonth {
        let current = containing(now, in: timeZone)
        return current.month == 1 ? CalendarMonth(year: current.year - 1, month: 12) : CalendarMonth(year: current.year, month: current.month - 1)
    }

    /// The month containing `now` in `timeZone`.
    public static func containing(_ now: Date, in timeZone: TimeZone) -> CalendarMonth {
        let (year, month, _) = LocalTime.civilDate(now, in: timeZone)
        return CalendarMonth(year: Int(year), month: Int(month))
    }

    public static func < (a: CalendarMonth, b: CalendarMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public var description: String { String(format: "%04d-%02d", year, month) }
    /// `YYYYMM`, as used in invoice numbers and file names.
    public var compact: String { String(format: "%04d%02d", year, month) }
    /// `2026年10月`, as mails and documents say it.
    public var japanese: String { JapaneseDate.month(year: year, month: month) }
    public var firstDay: String { description + "-01" }
    public var lastDay: String { description + String(format: "-%02d", dayCount) }

    public var dayCount: Int { Int(CivilCalendar.daysIn(year: Int64(year), month: Int64(month))) }
}
