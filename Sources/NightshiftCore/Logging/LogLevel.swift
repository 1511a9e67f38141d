import Foundation

public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warning, error, critical

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}
