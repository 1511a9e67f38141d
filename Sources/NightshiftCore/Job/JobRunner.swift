import Foundation
import Postgres

/// The life cycle shared by every command (ARCHITECTURE.md, "One job, one shape"):
/// config → logs → connection → lock → ledger → the job's work → ledger → exit code.
public struct JobRunner {
    public var clock: Clock
    public var environment: [String: String]?
    /// What "the schema is current" means before a job starts: the program's modules' migrations.
    public var schema: Schema
    /// Made from the configuration with the job (a bad setting is a configuration error, exit 78),
    /// then called after each run's ledger row is finished (the metrics); what it throws then is
    /// logged, never the run's outcome.
    public typealias AfterRun = (_ config: ConfigValues) throws -> (_ db: Connection) throws -> Void
    public var afterRun: AfterRun?

    public init(clock: Clock = SystemClock(), environment: [String: String]? = nil, schema: Schema = Schema([.core]),
                afterRun: AfterRun? = nil) {
        self.clock = clock
        self.environment = environment
        self.schema = schema
        self.afterRun = afterRun
    }

    /// Runs `job` and returns the process exit code. Never throws: every failure becomes a code.
    public func run<J: Job>(_ type: J.Type, options: J.Options, settings run: RunSettings, arguments: [String]) async -> ExitStatus {
        let name = J.name
        let console = Console(mode: run.consoleMode)
        let settings: CoreSettings
        let config: ConfigValues
        let clock: Clock
        let job: J
        let finished: ((Connection) throws -> Void)?
        do {
            config = try await ConfigValues.load(filePath: run.configPath, environment: environment, collecting: true)
        } catch {
            Console.writeStderr(Secrets.shared.scrub("\(name): \(error)"))
            return .configuration
        }
        do {
            settings = try CoreSettings.load(from: config)
            for secret in DatabaseURL.secrets(in: settings.databaseURL) { Secrets.shared.register(secret) }
            // `--now`: one fixed clock for the whole run, read in the configured zone.
            clock = try run.now.map { FixedClock(try TimestampArgument.parseNow($0, timeZone: settings.timeZone)) } ?? self.clock
            job = try J(options: options, config: config, core: settings, clock: clock)
            finished = try afterRun?(config)
            try ConfigValues.raise(config.problems?.all ?? [])
        } catch let error as UsageError {
            Console.writeStderr("\(name): \(error)")
            return .usage
        } catch {
            // Every bad setting at once, one line each, rather than one per run.
            let problems = config.problems?.all ?? []
            var lines = problems.map { "\($0)" }
            // A value already reported as missing or malformed is not reported again by the check
            // that tripped over its default.
            let sameKey = (error as? ConfigurationError).map { thrown in problems.contains { $0.key == thrown.key } } ?? false
            if !(error is ConfigProblemsFound), !sameKey, !lines.contains("\(error)") { lines.append("\(error)") }
            for line in lines { Console.writeStderr(Secrets.shared.scrub("\(name): \(line)")) }
            return .configuration
        }
        let files = LogFiles(settings: settings, console: console)
        var logger = files.logger(job: job.name)
        for (key, suggestion) in config.unknownFileKeys {
            logger.warning("unknown configuration key ignored", metadata: [
                "key": .string(key), "file": .string(config.filePath ?? ""), "did_you_mean": suggestion.map { .string($0) } ?? .string("")])
        }
        if run.dryRun { logger.markRehearsal() }
        files.routeLibraries(job: job.name)
        do {
            try files.checkWritable()
        } catch {
            Console.writeStderr("\(job.name): configuration error: log.dir (LOG_DIR=\(settings.logDirectory)): \(error)")
            return .configuration
        }
        return execute(Prepared(job: job, settings: settings, finished: finished, clock: clock, logger: logger, files: files, console: console,
                                dryRun: run.dryRun, output: run.output, arguments: arguments))
    }

    /// A job built and its logs open: what the rest of the life cycle works with.
    private struct Prepared<J: Job> {
        let job: J
        let settings: CoreSettings
        let finished: ((Connection) throws -> Void)?
        let clock: Clock
        var logger: Logger
        let files: LogFiles
        let console: Console
        let dryRun: Bool
        let output: ReportOutput
        let arguments: [String]

        func context(_ db: Connection, runID: Int64?, lockKey: Int64?) -> JobContext {
            JobContext(db: db, logger: logger, clock: clock, settings: settings, runID: runID, lockKey: lockKey, output: output,
                       isWatched: console.showsProgress, deadLetterJob: J.lockName)
        }
    }

    private func execute<J: Job>(_ run: Prepared<J>) -> ExitStatus {
        let (job, settings, logger, console) = (run.job, run.settings, run.logger, run.console)
        StopRequest.catchSignals()
        let db: Connection
        do {
            db = try Database.connect(settings.databaseURL, policy: settings.databaseRetry,
                                      applicationName: job.name, logger: logger)
        } catch let failure as RetryExhausted {
            logger.error("cannot connect to the database", error: failure.underlying, metadata: ["attempts": .int(failure.attempts)])
            if !run.dryRun, let aware = job as? any DatabaseOutageAware {
                aware.databaseUnreachable(failure.underlying, clock: run.clock, settings: settings, logger: logger)
            }
            let error = failure.underlying as? PostgresError
            if error?.isMissingDatabase == true {
                console.failureSummary("\(job.name): configuration error: database.url: the database does not exist: \(failure.underlying)")
                return .configuration
            }
            let auth = error?.isAuthenticationFailure ?? false
            console.failureSummary("\(job.name): database \(auth ? "rejected the credentials" : "unreachable"): \(failure)")
            return auth ? .configuration : .temporaryFailure
        } catch {
            console.failureSummary("\(job.name): \(error)")
            return .failed
        }
        defer { db.close() }
        do {
            let pending = try Migrator.pendingNames(db, schema: schema)
            guard pending.isEmpty else {
                console.failureSummary("\(job.name): configuration error: the database schema is not up to date " +
                                       "(\(pending.count) migration(s) pending, first \(pending[0])): run `nightshift migrate`")
                return .configuration
            }
        } catch {
            console.failureSummary(Secrets.shared.scrub("\(job.name): cannot read the schema version: \(error)"))
            return isTransient(error) ? .temporaryFailure : .failed
        }

        if run.dryRun {
            let context = run.context(db, runID: nil, lockKey: nil)
            do {
                let summary = try job.run(context)
                if summary.itemsFailed > 0 {
                    console.failureSummary("\(job.name) (dry run): \(summary.itemsFailed) item(s) would fail: " +
                                           summary.failedItems.prefix(5).joined(separator: "; "))
                }
                return summary.itemsFailed == 0 ? .succeeded : .partial
            } catch let stop as Interrupted {
                console.failureSummary("\(job.name) (dry run): \(stop)")
                return stop.exitStatus
            } catch {
                console.failureSummary(Secrets.shared.scrub("\(job.name) (dry run) failed: \(error)"))
                return error is ConfigurationError ? .configuration : .failed
            }
        }
        return executeWithLedger(run, db: db)
    }

    private func executeWithLedger<J: Job>(_ run: Prepared<J>, db: Connection) -> ExitStatus {
        var run = run
        let (job, files, console, arguments) = (run.job, run.files, run.console, run.arguments)
        let ledger = RunLedger(db: db, job: job.name)
        let runID: Int64
        var lockKey = Database.lockKey("nightshift.job.\(J.lockName)")
        do {
            // Session-level lock: a killed process's session ends and the lock goes with it.
            if !J.runsConcurrently {
                guard try db.tryAdvisoryLock(lockKey) else {
                    try ledger.recordSkipped(arguments: arguments, reason: "another run of \(job.name) holds the lock")
                    run.logger.info("skipped: another run holds the lock")
                    return .succeeded
                }
            }
            runID = try ledger.start(arguments: arguments)
            if J.runsConcurrently {
                lockKey = RunLedger.runLockKey(runID)
                _ = try db.tryAdvisoryLock(lockKey)
            }
            run.logger[metadataKey: JSONLinesLogHandler.runIDKey] = .int64(runID)
            let abandoned = J.runsConcurrently ? try ledger.markDeadAbandoned(except: runID) : try ledger.markAbandoned(except: runID)
            if abandoned > 0 { run.logger.warning("marked earlier unfinished runs abandoned", metadata: ["count": .int(abandoned)]) }
        } catch {
            run.logger.error("cannot start the run ledger", error: error)
            console.failureSummary("\(job.name): cannot start the run: \(error)")
            return isTransient(error) ? .temporaryFailure : .failed
        }

        let started = DispatchTime.now()
        files.jobEvent(job: job.name, runID: runID, "run started", ["arguments": .string(arguments.joined(separator: " "))])
        let logger = run.logger
        let context = run.context(db, runID: runID, lockKey: lockKey)
        var summary: JobSummary
        var errorText: String?
        var exit: ExitStatus
        do {
            summary = try job.run(context)
            exit = summary.status == .succeeded ? .succeeded : (summary.status == .partial ? .partial : .failed)
            if summary.itemsFailed > 0 {
                errorText = "\(summary.itemsFailed) item(s) failed: " + summary.failedItems.prefix(5).joined(separator: "; ")
            }
        } catch let stop as Interrupted {
            // Every unit that started has committed: the counts so far are the run's.
            summary = JobSummary(itemsOK: context.progress.ok, itemsFailed: context.progress.failed,
                                 message: "after \(context.progress.ok) item(s) done; the next run does the rest")
            errorText = "\(stop)"
            exit = stop.exitStatus
            logger.warning("run interrupted", metadata: ["signal": .string(stop.signalName),
                                                        "items_ok": .int(context.progress.ok), "items_failed": .int(context.progress.failed)])
        } catch {
            summary = JobSummary()
            errorText = Secrets.shared.scrub("\(error)")
            // A setting found wrong only while working (a missing pg_dump) is still a config error.
            exit = error is ConfigurationError ? .configuration : (isTransient(error) ? .temporaryFailure : .failed)
            logger.error("run failed", error: error)
        }
        let status: RunLedger.Status = switch exit {
            case .succeeded: .succeeded
            case .partial: .partial
            case .interrupted, .terminated: .interrupted
            default: .failed
        }
        let duration = Int(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
        do {
            try context.unitOfWork("finish the run ledger", interruptible: false) {
                try ledger.finish(runID, status: status, exitCode: exit.rawValue, itemsOK: summary.itemsOK, itemsFailed: summary.itemsFailed,
                                  error: errorText, metadata: summary.metadata)
            }
        } catch {
            logger.error("cannot finish the run ledger", error: error)
        }
        if let finished = run.finished {
            do { try finished(db) } catch { logger.warning("after the run", error: error) }
        }
        var metadata = summary.metadata
        metadata["status"] = .string(status.rawValue)
        metadata["items_ok"] = .int(summary.itemsOK)
        metadata["items_failed"] = .int(summary.itemsFailed)
        files.jobEvent(job: job.name, runID: runID, "run finished", metadata, durationMS: duration)
        if exit != .succeeded {
            var text = "\(job.name): run \(runID) \(status.rawValue)"
            if status == .interrupted, let errorText {
                text = "\(job.name): run \(runID) \(errorText) \(summary.message)"
            } else {
                if !summary.message.isEmpty { text += ": \(summary.message)" }
                if let errorText { text += summary.message.isEmpty ? ": " + errorText : "\n  " + errorText }
            }
            console.failureSummary(text)
        } else if console.showsProgress, !summary.message.isEmpty {
            Console.writeStderr("\(job.name): \(summary.message)")
        }
        return exit
    }

    private func isTransient(_ error: Error) -> Bool {
        if let failure = error as? RetryExhausted { return isTransient(failure.underlying) }
        if error is LostJobLock { return true }
        return (error as? PostgresError)?.isTransient ?? false
    }
}
