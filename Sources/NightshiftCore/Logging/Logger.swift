import Foundation

/// Where a job's log lines go: JSON lines into the shared log files, and a readable line on
/// stderr when a person is watching (a TTY or `--verbose`).
public final class Logger: @unchecked Sendable {
    public let job: String
    /// The log files' names, defined once: every line; error and above; runs' start and finish by day.
    public static let allFileName = "batch_processing.log"
    public static let errorsFileName = "batch_errors.log"
    public static func jobsFileName(_ compactDate: String) -> String { "jobs_\(compactDate).log" }
    public var runID: Int64?
    /// A dry run's lines say so, and its errors are logged as warnings: they are what a real run
    /// would meet, not failures anyone must act on, so they stay out of `batch_errors.log`.
    public var isRehearsal = false
    let minimumLevel: LogLevel
    let timeZone: TimeZone
    let all: LogFile
    let errors: LogFile
    let directory: String
    let console: Console
    private let clock: Clock

    let maxBytes: Int
    let keep: Int

    public init(job: String, directory: String, level: LogLevel, timeZone: TimeZone, console: Console,
                clock: Clock = SystemClock(), maxBytes: Int = 10 * 1024 * 1024, keep: Int = 5) {
        self.maxBytes = maxBytes
        self.keep = keep
        self.job = job
        self.directory = directory
        self.minimumLevel = level
        self.timeZone = timeZone
        self.console = console
        self.clock = clock
        all = LogFile(path: directory + "/" + Logger.allFileName, maxBytes: maxBytes, keep: keep)
        errors = LogFile(path: directory + "/" + Logger.errorsFileName, maxBytes: maxBytes, keep: keep)
    }

    /// A logger configured from the shared settings.
    public convenience init(job: String, settings: CoreSettings, console: Console) {
        self.init(job: job, directory: settings.logDirectory, level: settings.logLevel, timeZone: settings.timeZone,
                  console: console, maxBytes: settings.logMaxBytes, keep: settings.logKeep)
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

    public func debug(_ message: String, _ metadata: LogMetadata = [:]) { log(.debug, message, metadata) }
    public func info(_ message: String, _ metadata: LogMetadata = [:]) { log(.info, message, metadata) }
    public func warning(_ message: String, _ metadata: LogMetadata = [:], error: Error? = nil) {
        log(.warning, message, metadata, error: error)
    }
    public func error(_ message: String, _ metadata: LogMetadata = [:], error: Error? = nil) {
        log(.error, message, metadata, error: error)
    }

    public func log(_ level: LogLevel, _ message: String, _ metadata: LogMetadata = [:],
                    durationMS: Int? = nil, error: Error? = nil) {
        var level = level, metadata = metadata
        if isRehearsal {
            level = min(level, .warning)
            metadata["dry_run"] = .bool(true)
        }
        guard level >= minimumLevel else { return }
        let line = render(level, message, metadata, durationMS: durationMS, error: error)
        try? all.append(line)
        if level >= .error { try? errors.append(line) }
        console.show(level, Secrets.shared.scrub(readable(message, metadata, error)))
    }

    /// One line in `jobs_YYYYMMDD.log` (local date) at a run's start and at its finish.
    public func jobEvent(_ message: String, _ metadata: LogMetadata, durationMS: Int? = nil) {
        let file = LogFile(path: directory + "/" + Logger.jobsFileName(LocalTime.compactDate(clock.now, in: timeZone)),
                           maxBytes: maxBytes, keep: keep)
        let line = render(.info, message, metadata, durationMS: durationMS, error: nil)
        try? file.append(line)
        try? all.append(line)
    }

    public func render(_ level: LogLevel, _ message: String, _ metadata: LogMetadata, durationMS: Int?, error: Error?) -> String {
        let meta = metadata.keys.sorted().map { "\(jsonQuoted($0)):\(metadata[$0]!.json)" }.joined(separator: ",")
        var line = "{\"timestamp\":\(jsonQuoted(LocalTime.isoTimestamp(clock.now, in: timeZone, milliseconds: true)))"
        line += ",\"level\":\(jsonQuoted(level.rawValue)),\"job\":\(jsonQuoted(job))"
        line += ",\"run_id\":\(runID.map(String.init) ?? "null")"
        line += ",\"message\":\(jsonQuoted(message)),\"metadata\":{\(meta)}"
        line += ",\"duration_ms\":\(durationMS.map(String.init) ?? "null")"
        line += ",\"error\":\(error.map { jsonQuoted(String(describing: $0)) } ?? "null")}"
        return Secrets.shared.scrub(line)
    }

    private func readable(_ message: String, _ metadata: LogMetadata, _ error: Error?) -> String {
        var text = message
        if !metadata.isEmpty {
            text += " " + metadata.keys.sorted().map { "\($0)=\(metadata[$0]!.plain)" }.joined(separator: " ")
        }
        if let error { text += " — \(error)" }
        return text
    }

}
