/// Exact proleptic Gregorian date arithmetic on day numbers (days since 1970-01-01), with no
/// time-zone or locale machinery: used for timestamps in SQL text, log lines and file names.
public enum CivilCalendar {
    // Howard Hinnant's civil calendar algorithms: exact integer day arithmetic, no time zone lookups.
    public static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    /// A wall-clock instant counted in whole seconds since 1970-01-01 00:00 (UTC, or local time
    /// with the offset already added), as calendar fields.
    public struct Fields: Equatable {
        public var year, month, day, hour, minute, second: Int64
        public init(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        }
    }

    public static func fields(ofSecond seconds: Int64) -> Fields {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return Fields(year: y, month: m, day: d, hour: second / 3600, minute: second / 60 % 60, second: second % 60)
    }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func daysIn(year: Int64, month: Int64) -> Int64 {
        let next = month == 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)
        return next - daysFromCivil(year, month, 1)
    }
}
