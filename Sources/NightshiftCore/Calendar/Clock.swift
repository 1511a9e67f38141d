import Foundation
import Postgres

/// The time source every job reads. Injected so `--now` and tests can fix the time.
public protocol Clock: Sendable {
    var now: Date { get }
}

public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}

public struct FixedClock: Clock {
    public let now: Date
    public init(_ now: Date) { self.now = now }
}

/// Parses `--now` values: `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`, `±HHMM`,
/// or nothing — then the time is local to `timeZone`. Done by hand: formatters cost milliseconds
/// of start-up, and every cron run pays them.
public enum TimestampArgument {
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let chars = Array(text.utf8)
        func number(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[at..<at + count] {
                guard (48...57).contains(c) else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard chars.count >= 16, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
              chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "), chars[13] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60 else { return nil }
        // 2026-02-30 is refused, not rolled over into March.
        guard CivilCalendar.civilFromDays(CivilCalendar.daysFromCivil(year, month, day)).2 == day else { return nil }
        var index = 16
        var second: Int64 = 0
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ":") {
            guard let s = number(index + 1, 2), s < 60 else { return nil }
            second = s
            index += 3
            if index < chars.count, chars[index] == UInt8(ascii: ".") {
                index += 1
                var scale = 0.1
                while index < chars.count, (48...57).contains(chars[index]) {
                    fraction += Double(chars[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        let wall = CivilCalendar.daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        let offset: Int64
        if index == chars.count {
            offset = LocalTime.offset(ofWallClock: wall, in: timeZone)
        } else if chars[index] == UInt8(ascii: "Z"), index + 1 == chars.count {
            offset = 0
        } else if chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            let rest = chars.count - index - 1
            guard let oh = number(index + 1, 2) else { return nil }
            var om: Int64 = 0
            if rest == 5, chars[index + 3] == UInt8(ascii: ":"), let m = number(index + 4, 2) { om = m }
            else if rest == 4, let m = number(index + 3, 2) { om = m }
            else if rest != 2 { return nil }
            offset = (chars[index] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        return Date(timeIntervalSince1970: Double(wall - offset) + fraction)
    }
}

extension TimestampArgument {
    /// `--now` for a command: a bad value is a usage error (exit 64).
    public static func parseNow(_ text: String, timeZone: TimeZone) throws -> Date {
        guard let date = parse(text, timeZone: timeZone) else {
            throw UsageError("--now \(text): expected an ISO 8601 time such as 2026-11-23T21:00:00+09:00 or 2026-11-23T21:00")
        }
        return date
    }
}

/// Local calendar facts computed from a zone's UTC offset, without formatters.
public enum LocalTime {
    /// The UTC offset (seconds) in force at a local wall-clock time. In a DST gap the time is
    /// read with the offset before the change (so 02:30 in a spring-forward gap means 03:30).
    public static func offset(ofWallClock wall: Int64, in zone: TimeZone) -> Int64 {
        let guess = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall))))
        let refined = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - guess))))
        if refined == guess { return guess }
        let again = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - refined))))
        return again == refined ? refined : min(guess, refined)
    }

    /// `YYYYMMDD` of `date` in `zone`.
    public static func compactDate(_ date: Date, in zone: TimeZone) -> String {
        let (y, m, d) = civilDate(date, in: zone)
        return String(format: "%04lld%02lld%02lld", y, m, d)
    }

    /// `YYYY-MM-DD` of `date` in `zone`.
    public static func isoDate(_ date: Date, in zone: TimeZone) -> String {
        let (y, m, d) = civilDate(date, in: zone)
        return String(format: "%04lld-%02lld-%02lld", y, m, d)
    }

    /// Year, month and day of `date` in `zone`.
    public static func civilDate(_ date: Date, in zone: TimeZone) -> (Int64, Int64, Int64) {
        let local = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: date))
        return CivilCalendar.civilFromDays(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// ISO 8601 local time with the zone's offset, to the second: `2026-11-23T21:00:00+09:00`
    /// — how times are shown to people and in log fields.
    /// With `milliseconds`, `2026-11-23T21:00:00.123+09:00` (log lines).
    public static func isoTimestamp(_ date: Date, in zone: TimeZone, milliseconds: Bool = false) -> String {
        let offset = Int64(zone.secondsFromGMT(for: date))
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) + offset * 1000
        let local = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let f = CivilCalendar.fields(ofSecond: local)
        let fraction = milliseconds ? String(format: ".%03lld", millis - local * 1000) : ""
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", f.year, f.month, f.day, f.hour, f.minute, f.second)
            + fraction + (offset < 0 ? "-" : "+") + String(format: "%02lld:%02lld", abs(offset) / 3600, abs(offset) / 60 % 60)
    }

    /// `2026-11-23 12:00:00.123456+00` (PostgreSQL's text) → ISO 8601 in `zone`; other text unchanged.
    public static func isoTimestamp(postgres text: String, in zone: TimeZone) -> String {
        PostgresTimestamp.parse(text).map { isoTimestamp($0, in: zone) } ?? text
    }

    /// RFC 3339 UTC with milliseconds: `2026-11-23T12:00:00.000Z`.
    public static func utcTimestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let f = CivilCalendar.fields(ofSecond: seconds)
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", f.year, f.month, f.day, f.hour, f.minute, f.second,
                      millis - seconds * 1000)
    }
}

/// A `YYYY-MM-DD` argument (`--date`, `--from`, `--to`).
public enum CalendarDate {
    public static func isValid(_ text: String) -> Bool {
        text.count == 10 && TimestampArgument.parse(text + "T00:00Z", timeZone: TimeZone(identifier: "UTC")!) != nil
    }

    /// `--from` / `--to` (either may be absent): real dates, in order; a usage error otherwise.
    public static func checkRange(from: String?, to: String?) throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, !isValid(value) { throw UsageError("\(flag) \(value): expected a date YYYY-MM-DD") }
        }
        if let from, let to, from > to { throw UsageError("--from \(from) is after --to \(to)") }
    }
}
