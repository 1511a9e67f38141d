import Foundation
import Logging

/// swift-log's handler for the suite's files: a JSON line per message with the job, the run
/// (`run_id` metadata), the message, the metadata (numbers and booleans as JSON numbers and
/// booleans) and the error. A logger with `dry_run` metadata logs errors as warnings: a dry run's
/// errors are what a real run would meet, not failures anyone must act on, so they stay out of
/// `batch_errors.log`.
public struct JSONLinesLogHandler: LogHandler {
    public static let runIDKey = "run_id"
    public static let dryRunKey = "dry_run"

    let job: String
    let files: LogFiles
    /// A library's logger's label, kept in the line's metadata as `logger`.
    let libraryLabel: String?
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?

    public init(job: String, files: LogFiles, libraryLabel: String? = nil) {
        self.job = job
        self.files = files
        self.libraryLabel = libraryLabel
        logLevel = files.minimumLevel.swiftLogLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let libraryLabel { merged["logger"] = .string(libraryLabel) }
        var level = LogLevel(event.level)
        if case .stringConvertible(let flag as Bool)? = merged[Self.dryRunKey], flag { level = min(level, .warning) }
        guard level >= LogLevel(logLevel) else { return }
        let runID = merged.removeValue(forKey: Self.runIDKey).flatMap { Int64($0.description) }
        let fields = merged.keys.sorted().map { "\(jsonQuoted($0)):\(merged[$0]!.json)" }
        var readable = event.message.description
        if !merged.isEmpty { readable += " " + merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ") }
        if let error = event.error { readable += " — \(error)" }
        files.write(level, job: job, runID: runID, event.message.description, fields: fields, readable: readable,
                    durationMS: nil, error: event.error.map { String(describing: $0) })
    }
}

extension Logger.MetadataValue {
    /// Typed values, written to the JSON line as numbers and booleans.
    public static func int(_ value: Int) -> Self { .stringConvertible(value) }
    public static func int64(_ value: Int64) -> Self { .stringConvertible(value) }
    public static func double(_ value: Double) -> Self { .stringConvertible(value) }
    public static func bool(_ value: Bool) -> Self { .stringConvertible(value) }

    var json: String {
        switch self {
        case .string(let text): return jsonQuoted(text)
        case .stringConvertible(let value as Bool): return value ? "true" : "false"
        case .stringConvertible(let value as Int): return String(value)
        case .stringConvertible(let value as Int64): return String(value)
        case .stringConvertible(let value as Double): return value.isFinite ? String(value) : "null"
        case .stringConvertible(let value): return jsonQuoted(value.description)
        case .array(let values): return "[" + values.map(\.json).joined(separator: ",") + "]"
        case .dictionary(let values): return "{" + values.keys.sorted().map { "\(jsonQuoted($0)):\(values[$0]!.json)" }.joined(separator: ",") + "}"
        }
    }
}

extension LogLevel {
    init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info, .notice: self = .info
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }

    var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        case .critical: return .critical
        }
    }
}

extension Logger {
    /// Marks this logger's lines as a rehearsal's (`dry_run: true`; errors logged as warnings).
    public mutating func markRehearsal() { self[metadataKey: JSONLinesLogHandler.dryRunKey] = .bool(true) }

    /// The job's name, as its lines and the lock carry it.
    public var job: String { label }
}
