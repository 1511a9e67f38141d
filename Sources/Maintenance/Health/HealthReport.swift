import Foundation
import NightshiftCore

/// The database's and the suite's health at one moment: checks with warning and critical
/// thresholds as check_postgres has them, each with what was measured.
public struct HealthReport: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, Comparable {
        case ok, warning, critical
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    public struct Check: Codable, Sendable, Equatable {
        /// A stable name (`idle_in_transaction`), the dead-letter key of a failing check.
        public var name: String
        public var level: Level
        /// What was measured, in words (`1 session idle in a transaction for 12 min (pid 4711)`).
        public var detail: String
        public init(_ name: String, _ level: Level, _ detail: String) { (self.name, self.level, self.detail) = (name, level, detail) }
    }

    public var takenAt: String
    public var database: String
    public var checks: [Check]
    /// For growth over time: the database's size and each watched file system's free bytes.
    public var databaseBytes: Int64
    public var freeBytes: [String: Int64]

    public var level: Level { checks.map(\.level).max() ?? .ok }
    public var problems: [Check] { checks.filter { $0.level != .ok } }

    /// Level by thresholds on a value that is bad when high.
    static func level(_ value: Double, warning: Double, critical: Double) -> Level {
        value >= critical ? .critical : value >= warning ? .warning : .ok
    }

    /// One line per check, the worst first, for a person.
    public var text: String {
        let header = "health of \(database) at \(takenAt): \(level.rawValue)"
        let lines = checks.sorted { ($0.level.rank, $1.name) > ($1.level.rank, $0.name) }.map { check in
            "\(check.level.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(check.name): \(check.detail)"
        }
        return ([header] + lines).joined(separator: "\n")
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
