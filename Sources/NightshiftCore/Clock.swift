import Foundation

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

/// Parses `--now` values: ISO 8601 with an offset (`2026-11-23T21:00:00+09:00`, `…Z`), or a local
/// date-time without one (`2026-11-23T21:00`, `2026-11-23 21:00`) read in `timeZone`.
public enum TimestampArgument {
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let withOffset = ISO8601DateFormatter()
        withOffset.formatOptions = [.withInternetDateTime]
        if let date = withOffset.date(from: text) { return date }
        withOffset.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withOffset.date(from: text) { return date }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }
}
