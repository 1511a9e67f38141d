import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week) read in a time zone:
/// its fire times, before and after an instant, and its fields as explicit value lists (for a
/// systemd `OnCalendar=`). Day-of-month and day-of-week both restricted means either (cron's rule).
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let expression: String
    public let minutes: [Int], hours: [Int], days: [Int], months: [Int]
    /// 0 = Sunday … 6 = Saturday (7 is read as 0).
    public let weekdays: [Int]
    public let daysRestricted: Bool, weekdaysRestricted: Bool

    public var description: String { expression }

    struct Field { let name: String; let range: ClosedRange<Int>; let names: [String] }
    static let fields = [
        Field(name: "minute", range: 0...59, names: []),
        Field(name: "hour", range: 0...23, names: []),
        Field(name: "day-of-month", range: 1...31, names: []),
        Field(name: "month", range: 1...12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        Field(name: "day-of-week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    public init(_ expression: String) throws {
        let parts = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else { throw Problem(message: "expected 5 time fields, got \(parts.count) in \"\(expression)\"") }
        let values = try zip(parts, Self.fields).map { try Self.values($0, $1) }
        self.expression = parts.joined(separator: " ")
        (minutes, hours, days, months) = (values[0], values[1], values[2], values[3])
        weekdays = Array(Set(values[4].map { $0 % 7 })).sorted()
        daysRestricted = parts[2] != "*"
        weekdaysRestricted = parts[4] != "*"
    }

    /// One field: `*`, numbers, names, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`.
    static func values(_ text: String, _ field: Field) throws -> [Int] {
        func fail() -> Problem { Problem(message: "invalid \(field.name) field \"\(text)\"") }
        func value(_ item: Substring) throws -> Int {
            if let number = Int(item) {
                guard field.range.contains(number) else { throw fail() }
                return number
            }
            guard let index = field.names.firstIndex(of: item.lowercased()) else { throw fail() }
            return index + field.range.lowerBound
        }
        var result = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail() }
            var step = 1
            if parts.count == 2 {
                guard let number = Int(parts[1]), number >= 1, number <= field.range.upperBound else { throw fail() }
                step = number
            }
            let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            let low: Int, high: Int
            if parts[0] == "*" {
                (low, high) = (field.range.lowerBound, field.range.upperBound)
            } else if bounds.count == 1 {
                guard parts.count == 1 else { throw fail() }
                (low, high) = (try value(bounds[0]), try value(bounds[0]))
            } else if bounds.count == 2 {
                (low, high) = (try value(bounds[0]), try value(bounds[1]))
                guard low <= high else { throw fail() }
            } else {
                throw fail()
            }
            result.formUnion(stride(from: low, through: high, by: step))
        }
        return result.sorted()
    }

    func matches(day: Int, weekday: Int) -> Bool {
        let dayOK = days.contains(day), weekdayOK = weekdays.contains(weekday)
        if daysRestricted && weekdaysRestricted { return dayOK || weekdayOK }
        return dayOK && weekdayOK
    }

    /// The fire times of one local calendar day, in order (a time a DST change skips is not one).
    func times(onDayOf date: Date, calendar: Calendar) -> [Date] {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        guard months.contains(parts.month!), matches(day: parts.day!, weekday: parts.weekday! - 1) else { return [] }
        // A day without a change of offset (all but two a year, where there are any) is plain
        // arithmetic from its midnight; the calendar is asked only on the days a change falls in.
        let midnight = calendar.startOfDay(for: date)
        if let next = calendar.date(byAdding: .day, value: 1, to: midnight), next.timeIntervalSince(midnight) == 86_400,
           calendar.timeZone.secondsFromGMT(for: midnight) == calendar.timeZone.secondsFromGMT(for: next.addingTimeInterval(-1)),
           calendar.component(.hour, from: midnight) == 0 {
            return hours.flatMap { hour in minutes.map { midnight.addingTimeInterval(TimeInterval(hour * 3600 + $0 * 60)) } }
        }
        var result: [Date] = []
        for hour in hours {
            for minute in minutes {
                let wanted = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)
                guard let time = calendar.date(from: wanted),
                      calendar.dateComponents([.hour, .minute], from: time) == DateComponents(hour: hour, minute: minute) else { continue }
                if result.last != time { result.append(time) }
            }
        }
        return result.sorted()
    }

    /// The first fire time strictly after `instant` (within about four years), in `zone`.
    public func next(after instant: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = calendar.startOfDay(for: instant)
        for _ in 0..<(366 * 4 + 1) {
            if let time = times(onDayOf: day, calendar: calendar).first(where: { $0 > instant }) { return time }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return nil
    }

    /// Every fire time after `start` up to and including `end`, in order.
    public func times(after start: Date, through end: Date, in zone: TimeZone) -> [Date] {
        var result: [Date] = []
        var time = next(after: start, in: zone)
        while let due = time, due <= end {
            result.append(due)
            time = next(after: due, in: zone)
        }
        return result
    }

    /// The last fire time at or before `instant` (within about four years), in `zone`.
    public func previous(atOrBefore instant: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = calendar.startOfDay(for: instant)
        for _ in 0..<(366 * 4 + 1) {
            if let time = times(onDayOf: day, calendar: calendar).last(where: { $0 <= instant }) { return time }
            day = calendar.date(byAdding: .day, value: -1, to: day)!
        }
        return nil
    }

    /// The longest gap between two fire times over the year after `instant`: how old a job's
    /// last success may be before it is late.
    public func longestGap(from instant: Date, in zone: TimeZone) -> TimeInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = calendar.startOfDay(for: instant)
        var longest: TimeInterval = 0
        var last: Date?
        for _ in 0..<367 {
            for time in times(onDayOf: day, calendar: calendar) {
                if let last { longest = max(longest, time.timeIntervalSince(last)) }
                last = time
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return longest
    }
}
