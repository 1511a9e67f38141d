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
        containing(now, in: timeZone).before
    }

    /// The month containing `now` in `timeZone`.
    public static func containing(_ now: Date, in timeZone: TimeZone) -> CalendarMonth {
        let (year, month, _) = LocalTime.civilDate(now, in: timeZone)
        return CalendarMonth(year: Int(year), month: Int(month))
    }

    /// The month `count` months after this one (before it when negative).
    public func advanced(by count: Int) -> CalendarMonth {
        let index = year * 12 + (month - 1) + count
        return CalendarMonth(year: index / 12, month: index % 12 + 1)
    }

    /// The month before this one.
    public var before: CalendarMonth { month == 1 ? CalendarMonth(year: year - 1, month: 12) : CalendarMonth(year: year, month: month - 1) }

    /// `--month` of a job that reports on a month: `YYYY-MM`, and over in `timeZone` at `now` (a
    /// month is billed or reported once it has ended); nil text means the month before `now`.
    public static func finished(_ text: String?, now: Date, in timeZone: TimeZone) throws -> CalendarMonth {
        guard let text else { return previous(to: now, in: timeZone) }
        guard let month = CalendarMonth(text) else { throw UsageError("--month \(text): expected YYYY-MM") }
        let current = containing(now, in: timeZone)
        guard month < current else {
            throw UsageError("--month \(text): that month has not ended yet (it is \(current) in \(timeZone.identifier)); " +
                             "a month is billed and reported once it is over")
        }
        return month
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
