import Foundation

/// A value of a run's metadata in the ledger (`batch_runs.metadata`) and its jobs-file lines:
/// data, not pre-formatted text.
public enum RunValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    /// The same value in a log line's metadata.
    public var logValue: Logger.MetadataValue {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        }
    }

    var json: String {
        switch self {
        case .string(let s): return jsonQuoted(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

public typealias RunMetadata = [String: RunValue]

extension Dictionary where Key == String, Value == RunValue {
    /// The same metadata for a log line.
    public var logMetadata: Logger.Metadata { mapValues(\.logValue) }
}
