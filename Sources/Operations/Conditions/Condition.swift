import Foundation

/// Something wrong now, found by `nightshift watch`: its key (one open alert per key), the job it
/// is about, how bad, and one line saying what and since when.
public struct Condition: Equatable, Sendable {
    public enum Severity: String, Sendable, Comparable {
        case warning, critical
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .critical }
    }

    public let key: String
    public let job: String?
    public let severity: Severity
    public let summary: String
    /// The scheduled time it is about (a missed run, the slot without samples): when that fell in
    /// a database outage, the outage's own alert has said it.
    public let dueAt: Date?

    public init(_ key: String, job: String? = nil, _ severity: Severity, _ summary: String, dueAt: Date? = nil) {
        self.key = key
        self.job = job
        self.severity = severity
        self.summary = summary
        self.dueAt = dueAt
    }
}

/// A span of seconds in words: "45 min", "1 h", "3 h 05 min", "2 d 4 h".
enum Span {
    static func text(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return minutes % 60 == 0 ? "\(minutes / 60) h" : String(format: "%d h %02d min", minutes / 60, minutes % 60) }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }
}
