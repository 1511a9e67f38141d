import Foundation
import TestSupport
import XCTest

/// SIGTERM, then SIGINT, while a day's rows are being written: the run finishes that day, starts
/// no other, records itself `interrupted`; the next run aggregates the rest, one row each.
final class StopSignalTests: DatabaseTestCase {
    func testEachSignalStopsBetweenDaysAndTheNextRunAggregatesTheRest() throws {
        try db.connection.execute(script: """
            INSERT INTO company (id, name, billing_email, active, created_at) VALUES (1, 'A', 'a@example.jp', true, '2026-11-01 00:00+09');
            INSERT INTO activity_event (company_id, user_id, kind, occurred_at)
            SELECT 1, NULL, 'api_call', timestamptz '2026-11-01 12:00+09' + d * interval '1 day' FROM generate_series(0, 4) d;
            """)
        let environment: [String: String] = ["DATABASE_URL": db.url, "LOG_DIR": root!]
        let arguments = ["--now", "2026-11-06T03:00+09:00"]
        let term = try runStopped("usage-aggregate", arguments, environment: environment, signal: SIGTERM, holding: "usage_log", in: db)
        XCTAssertEqual(term.status, 143, term.stderr)
        let int = try runStopped("usage-aggregate", arguments, environment: environment, signal: SIGINT, holding: "usage_log", in: db)
        XCTAssertEqual(int.status, 130, int.stderr)
        let rest = try runToEnd("usage-aggregate", arguments, environment: environment)
        XCTAssertEqual(rest.status, 0, rest.stderr)

        let runs = try db.connection.query("SELECT status, items_ok FROM batch_runs ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["interrupted", "interrupted", "succeeded"])
        XCTAssertEqual(try runs.map { try $0.int("items_ok") }, [1, 1, 3])
        let rows = try db.connection.query("""
            SELECT count(*) AS n, count(DISTINCT usage_date) AS days, sum(api_calls) AS calls FROM usage_log WHERE company_id = 1
            """).first!
        XCTAssertEqual(try rows.int("n"), 5)
        XCTAssertEqual(try rows.int("days"), 5)
        XCTAssertEqual(try rows.int("calls"), 5)
    }

    /// Started twice at once: the second is `skipped`; each day aggregated once.
    func testTwoStartsAtOnceAggregateEachDayOnce() throws {
        try db.connection.execute(script: """
            INSERT INTO company (id, name, billing_email, active, created_at) VALUES (1, 'A', 'a@example.jp', true, '2026-11-01 00:00+09');
            INSERT INTO activity_event (company_id, user_id, kind, occurred_at)
            SELECT 1, NULL, 'api_call', timestamptz '2026-11-01 12:00+09' + d * interval '1 day' FROM generate_series(0, 4) d;
            """)
        let (first, second) = try runTwiceAtOnce("usage-aggregate", ["--now", "2026-11-06T03:00+09:00"],
                                                 environment: ["DATABASE_URL": db.url, "LOG_DIR": root!], holding: "usage_log", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "usage-aggregate"), ["succeeded", "skipped"])
        let rows = try db.connection.query("SELECT count(*) AS n, sum(api_calls) AS calls FROM usage_log WHERE company_id = 1").first!
        XCTAssertEqual(try rows.int("n"), 5)
        XCTAssertEqual(try rows.int("calls"), 5)
    }
}
