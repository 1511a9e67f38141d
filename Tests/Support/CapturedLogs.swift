import Foundation
import NightshiftCore

/// An in-memory swift-log handler for tests: what a logger wrote, line by line.
public final class CapturedLogs: @unchecked Sendable {
    public struct Line: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]
        public let error: String?
    }

    private var captured: [Line] = []
    private let lock = NSLock()

    public init() {}

    public var lines: [Line] { lock.withLock { captured } }

    /// A logger whose lines land here.
    public func logger(_ label: String = "test", level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: Line) { lock.withLock { captured.append(line) } }

    private struct Handler: LogHandler {
        let capture: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Line(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description),
                                error: event.error.map { "\($0)" }))
        }
    }
}
