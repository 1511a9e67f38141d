import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Statistics and indexes: dead rows vacuumed, a bloated index rebuilt concurrently (but not while
/// another job of the suite runs), invalid indexes of interrupted concurrent builds repaired.
final class DatabaseUpkeepTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            CREATE TABLE app_event (id bigint PRIMARY KEY, code int NOT NULL);
            INSERT INTO app_event SELECT i, i % 1000 FROM generate_series(1, 100000) i;
            CREATE INDEX app_event_code ON app_event (code);
            ANALYZE app_event;
            """)
    }

    func maintenance(_ arguments: [String] = []) throws -> ProcessResult {
        try runToEnd("maintenance", arguments + ["--now", "2026-12-06T04:00"], environment: [
            "DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_ARCHIVE_DIR": root + "/archive", "MAINTENANCE_HEALTH_SKIP": "backup_age",
            "MAINTENANCE_REINDEX_MIN_MB": "0"])
    }

    func pages(_ index: String) throws -> Int {
        try db.connection.query("SELECT relpages AS n FROM pg_class WHERE relname = $1", [index]).first!.int("n")
    }

    func stat(_ column: String) throws -> String? {
        try db.connection.query("SELECT \(column)::text AS v FROM pg_stat_user_tables WHERE relname = 'app_event'").first!.optionalString("v")
    }

    func testDeadRowsAreVacuumedAndABloatedIndexRebuiltButNotWhileAnotherJobRuns() throws {
        // Nine rows in ten deleted and vacuumed away: the btree keeps its pages.
        try db.connection.execute(script: "DELETE FROM app_event WHERE id % 10 <> 0")
        try db.connection.query("SELECT pg_stat_force_next_flush()")
        let bloated = try pages("app_event_pkey")
        XCTAssertGreaterThan(bloated, 200)

        let dry = try maintenance(["--dry-run"])
        XCTAssertTrue(dry.stdout.contains("would VACUUM (ANALYZE) public.app_event\n"), dry.stdout)
        XCTAssertNil(try stat("last_vacuum"), "a dry run vacuums nothing")

        // rate-calc is running: the index waits for a quieter run.
        let other = try Connection(url: db.url)
        defer { other.close() }
        XCTAssertTrue(try other.tryAdvisoryLock(Database.lockKey("nightshift.job.rate-calc")))
        let busy = try maintenance()
        XCTAssertEqual(busy.status, 1, "the indexes are still bloated: " + busy.stderr)
        XCTAssertTrue(busy.stderr.contains("health index_bloat warning"), busy.stderr)
        XCTAssertNotNil(try stat("last_vacuum"), "the vacuum does not wait")
        XCTAssertEqual(try pages("app_event_pkey"), bloated, "no rebuild while another job of the suite runs")
        XCTAssertEqual(try db.connection.query("SELECT metadata->>'rebuilds_postponed' AS n FROM batch_runs ORDER BY id DESC LIMIT 1")
            .first!.string("n"), "2", "both bloated indexes wait")

        XCTAssertTrue(try other.advisoryUnlock(Database.lockKey("nightshift.job.rate-calc")))
        let quiet = try maintenance()
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertLessThan(try pages("app_event_pkey"), bloated / 5, "rebuilt to the size its 10,000 rows need")
        XCTAssertLessThan(try pages("app_event_code"), bloated / 5)
    }

    func testInvalidIndexesOfInterruptedConcurrentBuildsAreRepaired() throws {
        try db.connection.execute(script: "INSERT INTO app_event VALUES (100001, 5)")
        // Concurrent unique builds that fail on duplicates leave invalid indexes behind.
        for name in ["app_event_code_unique", "app_event_code_ccnew"] {
            XCTAssertThrowsError(try db.connection.execute(script: "CREATE UNIQUE INDEX CONCURRENTLY \(name) ON app_event (code, (id % 2))"))
        }
        func invalid() throws -> [String] {
            try db.connection.query("""
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid ORDER BY 1
                """).rows.map { try $0.string("relname") }
        }
        XCTAssertEqual(try invalid(), ["app_event_code_ccnew", "app_event_code_unique"])
        try db.connection.execute(script: "DELETE FROM app_event WHERE id > 1000")

        let dry = try maintenance(["--dry-run"])
        XCTAssertTrue(dry.stdout.contains("would repair the invalid index public.app_event_code_unique"), dry.stdout)
        let result = try maintenance()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try invalid(), [], "the leftover copy dropped, the other rebuilt")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM pg_class WHERE relname = 'app_event_code_unique'").first!.int("n"), 1)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM pg_class WHERE relname = 'app_event_code_ccnew'").first!.int("n"), 0)
    }
}
