import Foundation
import TestSupport
import XCTest

/// Placement changes worked out by hand around the 90-day boundary, the end of a month and the
/// zone's midnight; run as the real process.
final class EngineerStatusTests: DatabaseTestCase {
    var environment: [String: String] { ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs"] }

    /// Engineer `id` with `placement` and the assignments given as (start, planned end, actual end).
    func engineer(_ id: Int, _ placement: String, deleted: Bool = false, _ assignments: [(String, String?, String?)] = []) throws {
        try db.connection.query("""
            INSERT INTO engineer (id, company_id, name, placement, deleted_at) VALUES ($1::int8, 1, 'E' || $1::text, $2, CASE WHEN $3::bool THEN now() END)
            """, [id, placement, deleted])
        for (start, planned, actual) in assignments {
            try db.connection.query("""
                INSERT INTO project_assignment (engineer_id, project_name, start_date, planned_end_date, actual_end_date)
                VALUES ($1::int8, 'P' || $1::text, $2::date, $3::date, $4::date)
                """, [id, start, planned, actual])
        }
    }

    func placements() throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try db.connection.query("SELECT id, placement FROM engineer").rows { result[try row.int("id")] = try row.string("placement") }
        return result
    }

    func changes() throws -> [String] {
        try db.connection.query("SELECT engineer_id || ' ' || from_status || '>' || to_status || ' ' || reason AS c FROM engineer_status_change ORDER BY engineer_id")
            .rows.map { try $0.string("c") }
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: "INSERT INTO company (id, name, billing_email) VALUES (1, 'A', 'a@example.jp')")
    }

    func testTheNightsChangesAroundTheNinetyDayBoundary() throws {
        // Today is Monday 7 December 2026 in Tokyo (00:30 there: still the 6th in UTC).
        try engineer(1, "working", [("2026-10-01", "2027-03-07", nil)])   // 7 Dec + 90 days = 7 Mar: soon
        try engineer(2, "working", [("2026-10-01", "2027-03-08", nil)])   // + 91: still working
        try engineer(3, "working", [("2026-10-01", "2026-12-06", nil)])   // ended yesterday in Tokyo (today in UTC)
        try engineer(4, "working", [("2026-10-01", "2026-12-07", nil)])   // ends today: not passed yet
        try engineer(5, "working")                                        // no assignment
        try engineer(6, "working", [("2026-10-01", "2027-06-30", "2026-12-01")])  // ended early
        try engineer(7, "working", [("2026-10-01", nil, nil)])            // open-ended
        try engineer(8, "waiting_soon", [("2026-10-01", "2027-06-30", nil)])  // extended: 205 days
        try engineer(9, "waiting", [("2026-10-01", "2027-06-30", nil)])   // waiting is not judged by the batch
        try engineer(10, "working", deleted: true)                        // deleted: left alone
        try engineer(11, "working", [("2026-09-01", "2026-12-20", nil), ("2026-11-01", "2027-12-31", nil)])  // the longer one counts
        try engineer(12, "working", [("2027-01-10", "2027-12-31", nil)])  // not started yet

        let run = try runToEnd("engineer-status", ["--now", "2026-12-07T00:30:00+09:00"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout + run.stderr, "", "quiet on success")
        XCTAssertEqual(try changes(), [
            "1 working>waiting_soon P1: planned end 2027-03-07, in 90 day(s)",
            "3 working>waiting P3: planned end 2026-12-06 has passed",
            "4 working>waiting_soon P4: planned end 2026-12-07, in 0 day(s)",
            "5 working>waiting no current assignment",
            "6 working>waiting no current assignment",
            "8 waiting_soon>working P8: planned end 2027-06-30, in 205 day(s)",
            "12 working>waiting no current assignment",
        ])
        XCTAssertEqual(try placements(), [1: "waiting_soon", 2: "working", 3: "waiting", 4: "waiting_soon", 5: "waiting", 6: "waiting",
                                          7: "working", 8: "working", 9: "waiting", 10: "working", 11: "working", 12: "waiting"])
        let ledger = try db.connection.query("""
            SELECT items_ok, metadata->>'changed' AS changed, metadata->>'to_waiting' AS waiting, metadata->>'to_waiting_soon' AS soon
              FROM batch_runs WHERE job = 'engineer-status'
            """).first!
        XCTAssertEqual(try ledger.int("items_ok"), 10, "the working and waiting_soon engineers not deleted")
        XCTAssertEqual(try ledger.string("changed"), "7")
        XCTAssertEqual(try ledger.string("waiting"), "4")
        XCTAssertEqual(try ledger.string("soon"), "2")

        // The same day again: nothing changes, nothing more is recorded.
        XCTAssertEqual(try runToEnd("engineer-status", ["--now", "2026-12-07T01:30:00+09:00"], environment: environment).status, 0)
        XCTAssertEqual(try changes().count, 7)
    }

    func testTheMonthEndAndAShorterWindowAndADryRun() throws {
        // 31 January 2027 with a 30-day window: 30 days on is 2 March (February has 28 days).
        try engineer(1, "working", [("2027-01-01", "2027-03-02", nil)])
        try engineer(2, "working", [("2027-01-01", "2027-03-03", nil)])
        var env = environment
        env["ENGINEER_STATUS_SOON_DAYS"] = "30"
        let rehearsal = try runToEnd("engineer-status", ["--dry-run", "--now", "2027-01-31T02:00:00+09:00"], environment: env)
        XCTAssertEqual(rehearsal.status, 0, rehearsal.stderr)
        XCTAssertEqual(rehearsal.stdout, "1\tworking → waiting_soon\tP1: planned end 2027-03-02, in 30 day(s)\n")
        XCTAssertEqual(try changes(), [], "a dry run keeps nothing")
        XCTAssertEqual(try placements()[1], "working")

        XCTAssertEqual(try runToEnd("engineer-status", ["--now", "2027-01-31T02:00:00+09:00"], environment: env).status, 0)
        XCTAssertEqual(try placements(), [1: "waiting_soon", 2: "working"])
        // A day later the second is inside the window too.
        XCTAssertEqual(try runToEnd("engineer-status", ["--now", "2027-02-01T02:00:00+09:00"], environment: env).status, 0)
        XCTAssertEqual(try changes(), ["1 working>waiting_soon P1: planned end 2027-03-02, in 30 day(s)",
                                       "2 working>waiting_soon P2: planned end 2027-03-03, in 30 day(s)"])
        XCTAssertEqual(try runToEnd("engineer-status", [], environment: env.merging(["ENGINEER_STATUS_SOON_DAYS": "0"]) { $1 }).status, 78)
    }

    /// Started twice at once: the second is `skipped`; each change recorded once.
    func testTwoStartsAtOnceRecordEachChangeOnce() throws {
        try engineer(1, "working")
        try engineer(2, "working", [("2026-10-01", "2027-01-31", nil)])
        let (first, second) = try runTwiceAtOnce("engineer-status", ["--now", "2026-12-07T02:00:00+09:00"], environment: environment,
                                                 holding: "engineer_status_change", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "engineer-status"), ["succeeded", "skipped"])
        XCTAssertEqual(try changes(), ["1 working>waiting no current assignment", "2 working>waiting_soon P2: planned end 2027-01-31, in 55 day(s)"])
    }

    /// SIGTERM, then SIGINT, while the review's statement waits: the statement is the run's one unit,
    /// so it commits and the run has done all its work (succeeded); a signal never leaves half a review.
    func testASignalDuringTheReviewLeavesItWhole() throws {
        try engineer(1, "working")
        try engineer(2, "working", [("2026-10-01", "2027-01-31", nil)])
        for signal in [SIGTERM, SIGINT] {
            let stopped = try runStopped("engineer-status", ["--now", "2026-12-07T02:00:00+09:00"], environment: environment, signal: signal,
                                         holding: "engineer_status_change", in: db)
            XCTAssertEqual(stopped.status, 0, stopped.stderr)
        }
        XCTAssertEqual(try changes(), ["1 working>waiting no current assignment", "2 working>waiting_soon P2: planned end 2027-01-31, in 55 day(s)"])
        XCTAssertEqual(try db.runStatuses(job: "engineer-status"), ["succeeded", "succeeded"])
    }
}
