@_exported import Logging
import Foundation
import Synchronization

/// The suite's log files in one directory, shared by every process: JSON lines of every level
/// kept (`batch_processing.log`), errors and above again (`batch_errors.log`), and runs' start and
/// finish by local day (`jobs_YYYYMMDD.log`); a readable line on stderr when a person is watching.
/// Jobs and libraries write here through swift-log's `Logger` (`logger(job:)`, and `routeLibraries`).
public final class LogFiles: @unchecked Sendable {
    /// The log files' names, defined once.
    public static let allFileName = "batch_processing.log"
    public static let errorsFileName = "batch_errors.log"
    public static func jobsFileName(_ compactDate: String) -> String { "jobs_\(compactDate).log" }

    public let directory: String
    let minimumLevel: LogLevel
    let timeZone: TimeZone
    let console: Console
    let clock: Clock
    let maxBytes: Int
    let keep: Int
    let all: LogFile
    let errors: LogFile

    public init(directory: String, level: LogLevel, timeZone: TimeZone, console: Console,
                clock: Clock = SystemClock(), maxBytes: Int = 10 * 1024 * 1024, keep: Int = 5) {
        self.directory = directory
        minimumLevel = level
        self.timeZone = timeZone
        self.console = console
        self.clock = clock
        self.maxBytes = maxBytes
        self.keep = keep
        all = LogFile(path: directory + "/" + LogFiles.allFileName, maxBytes: maxBytes, keep: keep)
        errors = LogFile(path: directory + "/" + LogFiles.errorsFileName, maxBytes: maxBytes, keep: keep)
    }

    /// The files configured by the shared settings (`log.*`).
    public convenience init(settings: CoreSettings, console: Console) {
        self.init(directory: settings.logDirectory, level: settings.logLevel, timeZone: settings.timeZone,
                  console: console, maxBytes: settings.logMaxBytes, keep: settings.logKeep)
    }

    /// A swift-log `Logger` whose lines carry `job` and go into these files.
    public func logger(job: String) -> Logger {
        var logger = Logger(label: job) { _ in JSONLinesLogHandler(job: job, files: self) }
        logger.logLevel = minimumLevel.swiftLogLevel
        return logger
    }

    /// Points the loggers any library makes with swift-log at these files, under `job`. swift-log
    /// is set up once per process; a later run in the same process (tests) takes over.
    public func routeLibraries(job: String) {
        LogFiles.routing.withLock { $0 = (self, job) }
        LogFiles.bootstrapOnce
    }

    private static let routing = Mutex<(files: LogFiles, job: String)?>(nil)
    private static let bootstrapOnce: Void = LoggingSystem.bootstrap { label in
        guard let (files, job) = routing.withLock({ $0 }) else { return SwiftLogNoOpLogHandler() }
        return JSONLinesLogHandler(job: job, files: files, libraryLabel: label)
    }

    /// Fails with a clear error when the log directory cannot be created or written.
    public func checkWritable() throws {
        var path = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0, errno != EEXIST { throw LogFileError(path: path, errno: errno) }
        }
        guard access(directory, W_OK) == 0 else { throw LogFileError(path: directory, errno: errno) }
    }

    /// One line in `jobs_YYYYMMDD.log` (local date) and the main file at a run's start and finish,
    /// whatever the level kept.
    public func jobEvent(job: String, runID: Int64?, _ message: String, _ metadata: RunMetadata, durationMS: Int? = nil) {
        let file = LogFile(path: directory + "/" + LogFiles.jobsFileName(LocalTime.compactDate(clock.now, in: timeZone)),
                           maxBytes: maxBytes, keep: keep)
        let fields = metadata.keys.sorted().map { "\(jsonQuoted($0)):\(metadata[$0]!.json)" }
        let line = render(.info, job: job, runID: runID, message, fields: fields, durationMS: durationMS, error: nil)
        try? file.append(line)
        try? all.append(line)
    }

    /// Writes one line at `level` (already filtered by the logger); `fields` are rendered JSON members.
    func write(_ level: LogLevel, job: String, runID: Int64?, _ message: String, fields: [String], readable: String,
               durationMS: Int?, error: String?) {
        let line = render(level, job: job, runID: runID, message, fields: fields, durationMS: durationMS, error: error)
        try? all.append(line)
        if level >= .error { try? errors.append(line) }
        console.show(level, Secrets.shared.scrub(readable))
    }

    private func render(_ level: LogLevel, job: String, runID: Int64?, _ message: String, fields: [String],
                        durationMS: Int?, error: String?) -> String {
        var line = "{\"timestamp\":\(jsonQuoted(LocalTime.isoTimestamp(clock.now, in: timeZone, milliseconds: true)))"
        line += ",\"level\":\(jsonQuoted(level.rawValue)),\"job\":\(jsonQuoted(job))"
        line += ",\"run_id\":\(runID.map(String.init) ?? "null")"
        line += ",\"message\":\(jsonQuoted(message)),\"metadata\":{\(fields.joined(separator: ","))}"
        line += ",\"duration_ms\":\(durationMS.map(String.init) ?? "null")"
        line += ",\"error\":\(error.map(jsonQuoted) ?? "null")}"
        return Secrets.shared.scrub(line)
    }
}
