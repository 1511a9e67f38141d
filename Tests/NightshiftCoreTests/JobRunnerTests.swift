import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// The life cycle every job shares, driven by a toy job whose items succeed or fail on demand:
/// exit codes, the ledger, the advisory lock, abandoned runs, dead letters recorded and resolved.
final class JobRunnerTests: DatabaseTestCase {
    /// Items 1…n; those in `failing` fail; `thrown` ends the run itself; `work` runs before the items.
    struct ToyJob: Job {
        typealias Options = ToyJob
        var items = 3
        var failing: Set<Int> = []
        var thrown: Error?
        /// An item whose error ends the run (the database gone even after reconnecting).
        var endingItem: Int?
        var work: (@Sendable (JobContext) throws -> Void)?
        static let name = "toy-job"

        init(items: Int = 3, failing: Set<Int> = [], thrown: Error? = nil, endingItem: Int? = nil,
             work: (@Sendable (JobContext) throws -> Void)? = nil) {
            self.items = items
            self.failing = failing
            self.thrown = thrown
            self.endingItem = endingItem
            self.work = work
        }

        /// The options are the toy job itself; it reads one setting, to have one that can be wrong.
        init(options: ToyJob, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
            self = options
            _ = try config.int("toy.items", default: 3, range: 0...100)
        }

        func run(_ context: JobContext) throws -> JobSummary {
            try work?(context)
            if let thrown { throw thrown }
            var summary = JobSummary()
            let step = ItemStep<Int>(name: "toy", failureMessage: "toy item failed", keys: { ["item:\($0)"] },
                                     label: { "item \($0)" })
            try context.run(step, Array(1...max(1, items)).filter { $0 <= items }, into: &summary) { item in
                if failing.contains(item) { throw ToyFailure() }
                if item == endingItem { throw PostgresError(kind: .connection, message: "server gone for good") }
                if context.isDryRun { context.report("item \(item) would be done") }
            }
            summary.message = "\(summary.itemsOK) done"
            return summary
        }
    }

    struct ToyFailure: Error, CustomStringConvertible { var description: String { "broken" } }

    var environment: [String: String] { ["DATABASE_URL": db.url, "LOG_DIR": root] }

    /// What runs reported, line by line.
    final class Report: @unchecked Sendable {
        private(set) var lines: [String] = []
        func append(_ line: String) { lines.append(line) }  // a run reports from one thread
    }
    let report = Report()

    func run(_ job: ToyJob, _ extra: [String: String] = [:], dryRun: Bool = false) async throws -> ExitStatus {
        let report = report
        let settings = RunSettings(consoleMode: .quiet, dryRun: dryRun, output: ReportOutput { report.append($0) })
        return await JobRunner(environment: environment.merging(extra) { $1 }).run(ToyJob.self, options: job, settings: settings,
                                                                                   arguments: ["--toy"])
    }

    func runs() throws -> [String] {
        try db.connection.query("SELECT status || ' ' || items_ok || '/' || items_failed AS r FROM batch_runs ORDER BY id").rows
            .map { try $0.string("r") }
    }

    func openFailures() throws -> [String] { try db.openFailures(job: "toy-job").keys.sorted() }

    func testEveryExitCode() async throws {
        let succeeded = try await run(ToyJob())
        XCTAssertEqual(succeeded, .succeeded)
        let partial = try await run(ToyJob(failing: [2]))
        XCTAssertEqual(partial, .partial)
        let allFailed = try await run(ToyJob(items: 2, failing: [1, 2]))
        XCTAssertEqual(allFailed, .failed)
        let thrown = try await run(ToyJob(thrown: PostgresError(kind: .server, sqlState: "42P01", message: "relation is gone")))
        XCTAssertEqual(thrown, .failed)
        let transient = try await run(ToyJob(thrown: PostgresError(kind: .connection, message: "server closed the connection")))
        XCTAssertEqual(transient, .temporaryFailure)
        let configuration = try await run(ToyJob(), ["TOY_ITEMS": "many"])
        XCTAssertEqual(configuration, .configuration)
        let unreachable = try await run(ToyJob(), ["DATABASE_URL": "postgresql://u@127.0.0.1:1/x", "DATABASE_RETRY_MAX_ATTEMPTS": "1"])
        XCTAssertEqual(unreachable, .temporaryFailure)
        XCTAssertEqual(try runs(), ["succeeded 3/0", "partial 2/1", "failed 0/2", "failed 0/0", "failed 0/0"],
                       "a configuration error or an unreachable database writes no ledger row")
    }

    func testAFailedItemIsRecordedThenResolvedByTheNextRun() async throws {
        _ = try await run(ToyJob(failing: [2, 3]))
        XCTAssertEqual(try openFailures(), ["item:2", "item:3"])
        _ = try await run(ToyJob(failing: [3]))
        XCTAssertEqual(try openFailures(), ["item:3"])
        XCTAssertEqual(try db.connection.query("SELECT occurrences FROM batch_failures WHERE item_key = 'item:3'").first!.int("occurrences"), 2)
        _ = try await run(ToyJob())
        XCTAssertEqual(try openFailures(), [])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_failures WHERE resolved_by_run IS NOT NULL").first!.int("n"), 2)
    }

    func testARunWhileAnotherHoldsTheLockIsSkipped() async throws {
        let holder = try Connection(url: db.url)
        defer { holder.close() }
        XCTAssertTrue(try holder.tryAdvisoryLock(Database.lockKey("nightshift.job.toy-job")))
        let skipped = try await run(ToyJob())
        XCTAssertEqual(skipped, .succeeded)
        XCTAssertEqual(try runs(), ["skipped 0/0"])
        _ = try holder.advisoryUnlock(Database.lockKey("nightshift.job.toy-job"))
        let next = try await run(ToyJob())
        XCTAssertEqual(next, .succeeded)
    }

    func testARunLeftRunningByADeadProcessIsAbandonedByTheNext() async throws {
        // What a SIGKILLed run leaves: a `running` row whose session (and lock) is gone.
        try db.connection.execute(script: "INSERT INTO batch_runs (job, host, pid, status) VALUES ('toy-job', 'h', 999999, 'running')")
        let next = try await run(ToyJob())
        XCTAssertEqual(next, .succeeded)
        XCTAssertEqual(try runs(), ["abandoned 0/0", "succeeded 3/0"])
    }

    func testADryRunWritesNoLedgerRowAndItsWorkIsRolledBack() async throws {
        var job = ToyJob(failing: [1])
        job.work = { context in
            XCTAssertNil(context.runID)
            XCTAssertNil(context.failures, "a rehearsal records no dead letters")
            _ = try RunLedger(db: context.db, job: "toy-job").rehearse { runID in
                try context.db.query("INSERT INTO batch_failures (run_id, job, item_key, error) VALUES ($1, 'toy-job', 'rehearsed', 'x')", [runID])
            }
        }
        let status = try await run(job, dryRun: true)
        XCTAssertEqual(status, .partial, "a dry run maps outcomes to the same exit codes")
        XCTAssertEqual(report.lines, ["item 2 would be done", "item 3 would be done"], "its report goes to the command layer's output")
        XCTAssertEqual(try runs(), [])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_failures").first!.int("n"), 0)
    }

    func testTheItemStepCountsPerStepAndAnErrorThatEndsTheRunIsNotAnItemFailure() async throws {
        let partial = try await run(ToyJob(items: 4, failing: [3]))
        XCTAssertEqual(partial, .partial)
        let metadata = try db.connection.query("SELECT metadata->>'toy_ok' AS ok, metadata->>'toy_failed' AS failed FROM batch_runs").first!
        XCTAssertEqual([try metadata.string("ok"), try metadata.string("failed")], ["3", "1"])
        XCTAssertEqual(try db.connection.query("SELECT error FROM batch_failures WHERE item_key = 'item:3'").first!.string("error"), "broken")

        let ended = try await run(ToyJob(items: 4, endingItem: 2), ["DATABASE_RETRY_MAX_ATTEMPTS": "1", "DATABASE_RETRY_BASE_DELAY_MS": "1"])
        XCTAssertEqual(ended, .temporaryFailure, "the database gone ends the run (75), it does not fail item 2 and go on")
        XCTAssertEqual(try openFailures(), ["item:3"], "nothing recorded for item 2")
    }
}
