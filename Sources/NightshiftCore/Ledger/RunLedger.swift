import Foundation
import Postgres

/// The `batch_runs` rows of one job: started, finished, skipped, and the ones a killed
/// process left behind.
public struct RunLedger {
    public enum Status: String, Sendable, CaseIterable { case running, succeeded, partial, failed, skipped, abandoned, interrupted }

    /// The jobs that write to the ledger: the registry's.
    public static let jobs = JobRegistry.jobs.map(\.name)

    let db: Connection
    let job: String

    public init(db: Connection, job: String) {
        self.db = db
        self.job = job
    }

    public func start(arguments: [String]) throws -> Int64 {
        let row = try db.query("""
            INSERT INTO batch_runs (job, arguments, host, pid, status) VALUES ($1, $2::text[], $3, $4, 'running')
            RETURNING id
            """, [job, arguments, ProcessInfo.processInfo.hostName, Int(getpid())])
        return Int64(try row.first!.int("id"))
    }

    /// A dry run's rehearsal: `body` writes under a throwaway run id inside a transaction that is
    /// always rolled back, so it can show exactly what a run would write and leave nothing.
    public func rehearse<T>(_ body: (Int64) throws -> T) throws -> T {
        try db.rolledBack { try body(try start(arguments: ["--dry-run"])) }
    }

    /// Only the holder of the job's lock calls this: any other `running` row is a dead process's.
    @discardableResult
    public func markAbandoned(except runID: Int64) throws -> Int {
        try db.query("""
            UPDATE batch_runs SET status = 'abandoned', finished_at = now(),
                   error = 'the process ended without finishing; found by run ' || $2::text
             WHERE job = $1 AND status = 'running' AND id <> $2::int8
            """, [job, runID]).affectedRows
    }

    /// The lock each run of a concurrent job holds for its life.
    public static func runLockKey(_ runID: Int64) -> Int64 { Database.lockKey("nightshift.run.\(runID)") }

    /// For a job whose runs overlap: a `running` row is a dead process's when its run lock is
    /// free. Rows younger than a minute are left alone (their run may not have taken it yet).
    @discardableResult
    public func markDeadAbandoned(except runID: Int64) throws -> Int {
        let candidates = try db.query("""
            SELECT id FROM batch_runs WHERE job = $1 AND status = 'running' AND id <> $2::int8 AND started_at < now() - interval '1 minute'
            """, [job, runID]).rows.map { Int64(try $0.int("id")) }
        var marked = 0
        for id in candidates where try db.tryAdvisoryLock(Self.runLockKey(id)) {
            try db.advisoryUnlock(Self.runLockKey(id))
            marked += try db.query("""
                UPDATE batch_runs SET status = 'abandoned', finished_at = now(),
                       error = 'the process ended without finishing; found by run ' || $2::text
                 WHERE id = $1 AND status = 'running'
                """, [Int(id), runID]).affectedRows
        }
        return marked
    }

    public func recordSkipped(arguments: [String], reason: String) throws {
        try db.query("""
            INSERT INTO batch_runs (job, arguments, host, pid, status, finished_at, error, exit_code)
            VALUES ($1, $2::text[], $3, $4, 'skipped', now(), $5, 0)
            """, [job, arguments, ProcessInfo.processInfo.hostName, Int(getpid()), reason])
    }

    public func finish(_ runID: Int64, status: Status, exitCode: Int32, itemsOK: Int, itemsFailed: Int, error: String?,
                       metadata: RunMetadata) throws {
        let json = "{" + metadata.keys.sorted().map { "\(jsonQuoted($0)):\(metadata[$0]!.json)" }.joined(separator: ",") + "}"
        try db.query("""
            UPDATE batch_runs SET status = $2, finished_at = now(), items_ok = $3, items_failed = $4,
                   error = $5, metadata = $6::jsonb, exit_code = $7
             WHERE id = $1
            """, [runID, status.rawValue, itemsOK, itemsFailed, error.map(Secrets.shared.scrub), json, Int(exitCode)])
    }
}

/// The dead-letter list: items that failed, one open entry per job and item until it succeeds.
public struct FailureLog {
    let db: Connection
    let job: String
    let runID: Int64

    public init(db: Connection, job: String, runID: Int64) {
        self.db = db
        self.job = job
        self.runID = runID
    }

    public func record(itemKey: String, error: String, attempts: Int) throws {
        try db.query("""
            INSERT INTO batch_failures (run_id, job, item_key, error, attempts)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (job, item_key) WHERE resolved_at IS NULL DO UPDATE
               SET run_id = EXCLUDED.run_id, error = EXCLUDED.error, attempts = EXCLUDED.attempts,
                   occurrences = batch_failures.occurrences + 1, last_seen_at = now()
            """, [runID, job, itemKey, Secrets.shared.scrub(error), attempts])
    }

    /// The item went through: close its open entry, if any.
    public func resolve(itemKey: String) throws {
        try db.query("""
            UPDATE batch_failures SET resolved_at = now(), resolved_by_run = $3
             WHERE job = $1 AND item_key = $2 AND resolved_at IS NULL
            """, [job, itemKey, runID])
    }

    /// Many items went through: one statement, however many keys.
    public func resolve(itemKeys: [String]) throws {
        guard !itemKeys.isEmpty else { return }
        try db.query("""
            UPDATE batch_failures SET resolved_at = now(), resolved_by_run = $3
             WHERE job = $1 AND item_key = ANY ($2::text[]) AND resolved_at IS NULL
            """, [job, itemKeys, runID])
    }
}
