import Foundation
import Postgres

/// A one-shot batch job. The runner does everything around it (config, logs, connection, lock,
/// ledger, exit code); a job implements only its own work.
public protocol Job {
    /// The command name, used as the ledger's job name and the lock's name.
    var name: String { get }
    /// Dry runs take no lock and write no ledger row.
    var isDryRun: Bool { get }
    /// Reads and validates the job's own settings. A bad value throws `ConfigurationError`.
    mutating func configure(_ config: ConfigValues, core: CoreSettings) throws
    func run(_ context: JobContext) throws -> JobSummary
}

extension Job {
    public var isDryRun: Bool { false }
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

    public init(db: Connection, logger: Logger, clock: Clock, settings: CoreSettings, runID: Int64?) {
        self.db = db
        self.logger = logger
        self.clock = clock
        self.settings = settings
        self.runID = runID
        self.failures = runID.map { FailureLog(db: db, job: logger.job, runID: $0) }
    }
}

/// The outcome of a job's work, which decides the ledger status and exit code.
public struct JobSummary: Sendable {
    public var itemsOK: Int
    public var itemsFailed: Int
    public var metadata: LogMetadata
    /// One short line for humans, e.g. "12 businesses collected, 1 failed".
    public var message: String
    /// Short descriptions of failed items for the stderr summary.
    public var failedItems: [String]

    public init(itemsOK: Int = 0, itemsFailed: Int = 0, metadata: LogMetadata = [:], message: String = "",
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
