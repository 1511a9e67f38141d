import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// `usage-aggregate` as a process against hand-built data, with expectations counted by hand.
final class UsageAggregationTests: DatabaseTestCase {
    func aggregate(_ arguments: [String], timeZone: String = "Asia/Tokyo") throws -> ProcessResult {
        try runToEnd("usage-aggregate", arguments,
                     environment: ["DATABASE_URL": db.url, "LOG_DIR": root, "TIMEZONE": timeZone])
    }

    func usage(_ company: String, _ day: String) throws -> [Int] {
        let rows = try db.connection.query("""
            SELECT total_users, active_users, total_engineers, active_engineers, approaches, emails_sent, logins,
                   api_calls, storage_mb
              FROM usage_log l LEFT JOIN company c ON c.id = l.company_id
             WHERE l.usage_date = $1::date AND coalesce(c.name, 'ALL') = $2
            """, [day, company]).rows
        guard let row = rows.first else { return [] }
        return try ["total_users", "active_users", "total_engineers", "active_engineers", "approaches", "emails_sent",
                    "logins", "api_calls", "storage_mb"].map { try row.int($0) }
    }

    /// Company A's 2026-11-10 (Asia/Tokyo), with a neighbour on each side of every boundary.
    func loadCompanies() throws {
        try db.connection.execute(script: """
            INSERT INTO company (id, name, billing_email, active, created_at) VALUES
              (1, 'A', 'a@example.jp', true,  '2026-10-01 00:00+09'),
              (2, 'B', 'b@example.jp', true,  '2026-10-01 00:00+09'),
              (3, 'C', 'c@example.jp', false, '2026-10-01 00:00+09'),
              (4, 'D', 'd@example.jp', true,  '2026-11-12 09:00+09');
            INSERT INTO app_user (id, company_id, email, created_at, deleted_at) VALUES
              (1, 1, 'u1', '2026-10-05 10:00+09', NULL),
              (2, 1, 'u2', '2026-11-10 15:00+09', NULL),                   -- created that day: counts
              (3, 1, 'u3', '2026-10-05 10:00+09', '2026-11-10 09:00+09'),  -- deleted that day: counts
              (4, 1, 'u4', '2026-10-05 10:00+09', '2026-11-09 23:59:59+09'),
              (5, 1, 'u5', '2026-11-11 00:00+09', NULL),
              (6, 3, 'c1', '2026-10-05 10:00+09', NULL);
            INSERT INTO activity_event (company_id, user_id, kind, occurred_at) VALUES
              (1, 1, 'login',      '2026-11-10 00:00:00+09'),   -- the day's first instant
              (1, 1, 'approach',   '2026-11-10 12:00+09'),
              (1, 2, 'email_sent', '2026-11-10 23:59:59+09'),
              (1, 3, 'login',      '2026-11-09 15:30Z'),        -- 00:30 JST on the 10th
              (1, NULL, 'api_call', '2026-11-10 10:00+09'),
              (1, NULL, 'api_call', '2026-11-10 11:00+09'),
              (1, 4, 'login',      '2026-11-10 15:30Z'),        -- the 10th in UTC, the 11th in Tokyo
              (1, 1, 'login',      '2026-11-11 00:00:00+09'),
              (3, 6, 'login',      '2026-11-10 12:00+09');
            INSERT INTO engineer (company_id, name, status, created_at, deleted_at) VALUES
              (1, 'e1', 'active',   '2026-10-01 00:00+09', NULL),
              (1, 'e2', 'inactive', '2026-10-01 00:00+09', NULL),
              (1, 'e3', 'active',   '2026-10-01 00:00+09', '2026-11-05 00:00+09'),
              (1, 'e4', 'active',   '2026-11-10 20:00+09', NULL);
            INSERT INTO stored_file (company_id, name, size_bytes, created_at, deleted_at) VALUES
              (1, 'f1', 1048576, '2026-10-01 00:00+09', NULL),
              (1, 'f2', 1,       '2026-10-01 00:00+09', NULL),
              (1, 'f3', 5242880, '2026-10-01 00:00+09', '2026-11-10 12:00+09'),  -- gone by the day's end
              (1, 'f4', 2097152, '2026-11-11 00:00+09', NULL);
            """)
    }

    func testOneDayCountsEveryBoundaryByHand() throws {
        try loadCompanies()
        let result = try aggregate(["--date", "2026-11-10", "--now", "2026-11-11T03:00"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        // users u1,u2,u3; active u1,u2,u3; engineers e1,e2,e4 (active e1,e4); 1 approach, 1 email,
        // logins u1 + u3, 2 API calls; 1 MiB + 1 byte stored → 2 MiB.
        XCTAssertEqual(try usage("A", "2026-11-10"), [3, 3, 3, 2, 1, 1, 2, 2, 2])
        XCTAssertEqual(try usage("B", "2026-11-10"), [0, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try usage("C", "2026-11-10"), [], "inactive companies are skipped")
        XCTAssertEqual(try usage("D", "2026-11-10"), [], "not yet a customer that day")
        XCTAssertEqual(try usage("ALL", "2026-11-10"), [3, 3, 3, 2, 1, 1, 2, 2, 2])

        // A recomputation after a late event changes the counts, not the row count.
        try db.connection.execute(script: "INSERT INTO activity_event (company_id, user_id, kind, occurred_at) VALUES (2, NULL, 'api_call', '2026-11-10 13:00+09')")
        XCTAssertEqual(try aggregate(["--date", "2026-11-10", "--now", "2026-11-11T03:00"]).status, 0)
        XCTAssertEqual(try usage("ALL", "2026-11-10"), [3, 3, 3, 2, 1, 1, 2, 3, 2])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM usage_log").first!.int("n"), 3)
    }

    func testCatchUpComputesEveryMissingFinishedDayOnce() throws {
        try loadCompanies()
        XCTAssertEqual(try aggregate(["--date", "2026-11-10", "--now", "2026-11-11T03:00"]).status, 0)
        // 03:00 on the 12th: the 11th is finished, the 12th is not. 35 days back from the 12th is
        // 10-08 (the oldest company dates from 10-01): 10-08 … 11-11 is 35 days, 11-10 was done.
        let result = try aggregate(["--now", "2026-11-12T03:00"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let days = try db.connection.query("""
            SELECT min(usage_date)::text AS first, max(usage_date)::text AS last, count(*) AS n,
                   count(DISTINCT run_id) AS runs
              FROM usage_log WHERE company_id IS NULL
            """).first!
        XCTAssertEqual(try days.string("first"), "2026-10-08")
        XCTAssertEqual(try days.string("last"), "2026-11-11")
        XCTAssertEqual(try days.int("n"), 35)
        XCTAssertEqual(try days.int("runs"), 2)
        let run = try db.connection.query("SELECT items_ok, metadata->>'first_day' AS first FROM batch_runs WHERE job = 'usage-aggregate' ORDER BY id DESC LIMIT 1").first!
        XCTAssertEqual(try run.int("items_ok"), 34)
        // Two companies a day (A, B; D only from the 12th).
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM usage_log WHERE company_id IS NOT NULL").first!.int("n"), 70)

        let again = try aggregate(["--now", "2026-11-12T04:00"])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try db.connection.query("SELECT items_ok FROM batch_runs WHERE job = 'usage-aggregate' ORDER BY id DESC LIMIT 1").first!.int("items_ok"), 0)
    }

    func testDaysFollowTheConfiguredZoneAcrossADSTChange() throws {
        // 2026-11-01 in New York has 25 hours: 04:00Z to 05:00Z the next day.
        try db.connection.execute(script: """
            INSERT INTO company (id, name, billing_email, created_at) VALUES (1, 'A', 'a@example.com', '2026-10-01 00:00Z');
            INSERT INTO activity_event (company_id, kind, occurred_at) VALUES
              (1, 'api_call', '2026-11-01 03:59Z'),   -- 23:59 EDT on Oct 31
              (1, 'api_call', '2026-11-01 04:00Z'),   -- 00:00 EDT on Nov 1
              (1, 'api_call', '2026-11-02 04:30Z'),   -- 23:30 EST on Nov 1: the 25th hour
              (1, 'api_call', '2026-11-02 05:00Z');   -- 00:00 EST on Nov 2
            """)
        let result = try aggregate(["--from", "2026-10-31", "--to", "2026-11-02", "--now", "2026-11-03T12:00"],
                                   timeZone: "America/New_York")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try usage("A", "2026-10-31")[7], 1)
        XCTAssertEqual(try usage("A", "2026-11-01")[7], 2)
        XCTAssertEqual(try usage("A", "2026-11-02")[7], 1)
    }

    func testDryRunPrintsTheRowsAndWritesNothing() throws {
        try loadCompanies()
        let result = try aggregate(["--date", "2026-11-10", "--dry-run", "--now", "2026-11-11T03:00"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "company\tday\ttotal_users\tactive_users\ttotal_engineers\tactive_engineers\tapproaches\temails_sent\tlogins\tapi_calls\tstorage_mb")
        XCTAssertEqual(lines.count, 4, result.stdout)
        XCTAssertEqual(lines.last, "all\t2026-11-10\t3\t3\t3\t2\t1\t1\t2\t2\t2")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM usage_log").first!.int("n"), 0)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_runs").first!.int("n"), 0)
    }

    func testAFailingDayIsAnItemFailureAndTheOthersAreWritten() throws {
        try loadCompanies()
        try db.connection.execute(script: "ALTER TABLE usage_log ADD CONSTRAINT test_refuses_one_day CHECK (usage_date <> '2026-11-09')")
        let result = try aggregate(["--from", "2026-11-08", "--to", "2026-11-10", "--now", "2026-11-11T03:00"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("2026-11-09"), result.stderr)
        XCTAssertEqual(try db.connection.query("SELECT string_agg(usage_date::text, ',' ORDER BY usage_date) AS d FROM usage_log WHERE company_id IS NULL").first!.string("d"),
                       "2026-11-08,2026-11-10")
        XCTAssertEqual(try db.connection.query("SELECT item_key FROM batch_failures WHERE resolved_at IS NULL").first!.string("item_key"), "day:2026-11-09")

        try db.connection.execute(script: "ALTER TABLE usage_log DROP CONSTRAINT test_refuses_one_day")
        XCTAssertEqual(try aggregate(["--now", "2026-11-11T03:00"]).status, 0, "catch-up fills the missing day")
        XCTAssertEqual(try usage("ALL", "2026-11-09").count, 9)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NULL").first!.int("n"), 0)
    }

    func testBadArgumentsAndConfiguration() throws {
        XCTAssertEqual(try aggregate(["--date", "2026-13-01"]).status, 64)
        XCTAssertEqual(try aggregate(["--from", "2026-11-10", "--to", "2026-11-01"]).status, 64)
        let bad = try runToEnd("usage-aggregate", [], environment: ["DATABASE_URL": db.url, "LOG_DIR": root,
                                                                    "USAGE_AGGREGATE_LOOKBACK_DAYS": "0"])
        XCTAssertEqual(bad.status, 78)
        XCTAssertTrue(bad.stderr.contains("usage_aggregate.lookback_days"), bad.stderr)
    }
}
