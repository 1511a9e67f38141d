import Foundation
import Postgres

/// A one-shot batch job. The runner does everything around it (config, logs, connection, lock,
/// ledger, exit code); a job implements only its own work.
public protocol Job {
    associatedtype Options: Sendable
    /// The command name, used as the ledger's job name and the lock's name.
    static var name: String { get }
    /// The advisory lock's name: the job's own, unless runs of two jobs must never overlap.
    static var lockName: String { get }
    /// Runs of it may overlap (several hosts draining one queue, each item claimed by one run): no
    /// job lock is taken, and each run holds a lock of its own so that a dead one can be told
    /// from a working one.
    static var runsConcurrently: Bool { get }
    /// Built in one step from its options and settings (no setting filled in later). A bad value
    /// throws `ConfigurationError` (or is collected by `config`); `clock` is the run's, fixed by
    /// `--now`, for checks that depend on the time.
    init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws
    func run(_ context: JobContext) throws -> JobSummary
}

extension Job {
    public var name: String { Self.name }
    public static var lockName: String { name }
    public static var runsConcurrently: Bool { false }
}

/// A job with something to do when the database cannot be reached at all, after the connection
/// retries: the watcher raises the alarm by ways that do not need the database. The run's exit
/// code stays "database unreachable" whatever this does.
public protocol DatabaseOutageAware: Job {
    func databaseUnreachable(_ failure: Error, clock: Clock, settings: CoreSettings, logger: Logger)
}

/// What a job hands its work: the connection, the clock, the logger and the dead-letter list.
public final class JobContext {
    public let db: Connection
    public let logger: Logger
    public let clock: Clock
    public let settings: CoreSettings
    public let runID: Int64?
    /// Nil on a dry run.
    public let failures: FailureLog?
    /// A rehearsal (`--dry-run`): the job does its real work where it can roll it back, reports
    /// what it would do, and keeps nothing; it has no lock, no ledger row and no dead letters.
    public var isDryRun: Bool { runID == nil }
    /// A person is watching (a terminal, or `--verbose`): a job may show its report.
    public let isWatched: Bool
    /// The job's advisory lock, taken again after a reconnect (nil on a dry run).
    let lockKey: Int64?
    /// Items done so far by every step: what an interrupted run records as its counts.
    var progress = (ok: 0, failed: 0)
    let output: ReportOutput

    /// `deadLetterJob`: the job name its dead letters go under (the lock's: jobs that share a lock
    /// share their items, e.g. `invoice --send` and `invoice send`).
    public init(db: Connection, logger: Logger, clock: Clock, settings: CoreSettings, runID: Int64?, lockKey: Int64? = nil,
                output: ReportOutput, isWatched: Bool = false, deadLetterJob: String? = nil) {
        self.output = output
        self.isWatched = isWatched
        self.db = db
        self.logger = logger
        self.clock = clock
        self.settings = settings
        self.runID = runID
        self.lockKey = lockKey
        self.failures = runID.map { FailureLog(db: db, job: deadLetterJob ?? logger.job, runID: $0) }
    }

    /// A line of the run's report (a dry run's account of what it would do), for the command layer
    /// to show.
    public func report(_ line: String) { output.write(line) }

    /// Runs one unit of work — a transaction the job can repeat without harm (its writes are
    /// idempotent). When the connection to the database is lost during it (a server restart, a
    /// terminated session), reconnects with `database.retry`, takes the job's lock again and
    /// runs the unit once more, so a short outage costs a pause, not the rest of the run.
    /// A stop signal received before it starts ends the run here (`Interrupted`) unless the unit
    /// is not `interruptible` (the ledger's own bookkeeping).
    public func unitOfWork<T>(_ what: String, interruptible: Bool = true, _ body: () throws -> T) throws -> T {
        if interruptible { try StopRequest.check() }
        var reconnects = 0
        while true {
            do {
                return try body()
            } catch let error as PostgresError where error.kind == .connection || !db.isHealthy {
                reconnects += 1
                guard reconnects <= settings.databaseRetry.maxAttempts else { throw error }
                logger.warning("database connection lost; reconnecting",
                               error: error, metadata: ["unit": .string(what), "reconnects": .int(reconnects)])
                try reconnect()
            }
        }
    }

    private func reconnect() throws {
        do {
            _ = try retrying(settings.databaseRetry, Database.classifier, onRetry: { attempt, error, delay in
                self.logger.warning("database unreachable, retrying",
                                    error: error, metadata: ["attempt": .int(attempt), "delay_ms": .int(Int(delay * 1000))])
            }) { try db.reconnect() }
        } catch let failure as RetryExhausted {
            throw failure.underlying
        }
        if let lockKey, try !db.tryAdvisoryLock(lockKey) {
            throw LostJobLock(job: logger.job)
        }
        logger.info("reconnected to the database")
    }
}

/// After a reconnect another run had taken the job's lock: this run stops rather than run twice.
public struct LostJobLock: Error, CustomStringConvertible {
    public let job: String
    public var description: String { "lost the database connection, and another run of \(job) took the job's lock meanwhile" }
}

/// The outcome of a job's work, which decides the ledger status and exit code.
public struct JobSummary: Sendable {
    public var itemsOK: Int
    public var itemsFailed: Int
    public var metadata: RunMetadata
    /// One short line for humans, e.g. "12 businesses collected, 1 failed".
    public var message: String
    /// Short descriptions of failed items for the stderr summary.
    public var failedItems: [String]

    public init(itemsOK: Int = 0, itemsFailed: Int = 0, metadata: RunMetadata = [:], message: String = "",
                failedItems: [String] = []) {
        self.itemsOK = itemsOK
        self.itemsFailed = itemsFailed
        self.metadata = metadata
        self.message = message
        self.failedItems = failedItems
    }

    public var status: RunLedger.Status {
        if itemsFailed == 0 { return .succeeded }
        return itemsOK > 0 ? .partial : .failed
    }
}
