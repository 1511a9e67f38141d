import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Retention rules: 100,000 expired sessions of a host table deleted in chunks while another
/// session keeps writing (never waiting long) and holds a lock on one old row (skipped, not
/// waited for); the ledger's old runs go unless something kept still references them.
final class TableRetentionTests: DatabaseTestCase {
    let now = "2026-12-06T04:00"
    static let chunk = 10_000

    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            CREATE TABLE app_session (id bigserial PRIMARY KEY, token text NOT NULL, expires_at timestamptz NOT NULL);
            INSERT INTO app_session (token, expires_at)
            SELECT md5(i::text), timestamptz '2026-11-01 00:00+09' - i * interval '1 second' FROM generate_series(1, 100000) i;
            INSERT INTO app_session (token, expires_at) SELECT 'live' || i, timestamptz '2026-12-05 00:00+09' FROM generate_series(1, 50) i;
            """)
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_ARCHIVE_DIR": root + "/archive", "MAINTENANCE_HEALTH_SKIP": "backup_age",
         "RETENTION_TABLES": "app_session.expires_at:7"].merging(extra) { $1 }
    }

    func count(_ sql: String) throws -> Int { try db.connection.query(sql).first!.int("n") }

    func testExpiredRowsGoInChunksWithoutBlockingAConcurrentWriter() throws {
        let dry = try runToEnd("maintenance", ["--dry-run", "--now", now], environment: environment())
        XCTAssertTrue(dry.stdout.contains("would delete 100000 rows of app_session (expires_at older than 7 days)"), dry.stdout)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM app_session"), 100_050, "a dry run deletes nothing")

        let holder = try Connection(url: db.url)
        defer { holder.close() }
        try holder.execute(script: "BEGIN; SELECT * FROM app_session WHERE id = 1 FOR UPDATE;")

        let (_, finish) = try runExecutable("maintenance", ["--now", now], environment: environment(), wait: false)
        var slowest = 0.0, written = 0
        var partial = Set<Int>()
        let writer = try Connection(url: db.url)
        defer { writer.close() }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let start = Date()
            try writer.query("INSERT INTO app_session (token, expires_at) VALUES ('new', now() + interval '1 day')")
            try writer.query("UPDATE app_session SET expires_at = expires_at WHERE token = 'live1'")
            slowest = max(slowest, Date().timeIntervalSince(start))
            written += 1
            let expired = try count("SELECT count(*) AS n FROM app_session WHERE expires_at < '2026-11-29 04:00+09'")
            if expired > 1 && expired < 100_000 { partial.insert(expired) }
            if try count("SELECT count(*) AS n FROM batch_runs WHERE job = 'maintenance' AND status <> 'running'") > 0 { break }
        }
        let result = finish()
        try holder.execute(script: "COMMIT")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(slowest, 2, "the writer never waited behind a long lock (\(written) writes)")
        XCTAssertFalse(partial.isEmpty, "the writer saw the deletion committed chunk by chunk, not in one transaction")
        XCTAssertTrue(partial.allSatisfy { $0 % TableRetentionTests.chunk == 0 }, "whole chunks of 10,000: \(partial.sorted())")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM app_session WHERE expires_at < '2026-11-29 04:00+09'"), 1,
                       "every expired row went but the one another session had locked")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM app_session WHERE token = 'new' OR token LIKE 'live%'"), written + 50)
        XCTAssertEqual(try db.connection.query("SELECT metadata->>'retention_deleted' AS n FROM batch_runs WHERE job = 'maintenance'")
            .first!.string("n"), "99999", "counted in the ledger")
    }

    func testARuleOnAMissingColumnFailsAloneAndTheLedgerKeepsReferencedRuns() throws {
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status, started_at, finished_at) VALUES
              (1, 'status-collect', 'h', 1, 'succeeded', '2025-01-01', '2025-01-01'),
              (2, 'status-collect', 'h', 1, 'succeeded', '2025-01-02', '2025-01-02'),
              (3, 'rate-calc', 'h', 1, 'failed', '2025-01-03', '2025-01-03'),
              (4, 'rate-calc', 'h', 1, 'succeeded', '2026-12-01', '2026-12-01');
            SELECT setval('batch_runs_id_seq', 4);
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (1, '店', 'dto', 'http://x/1', '18:00', '05:00');
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES (1, 2, '2026-12-01 20:00+09', now(), true);
            INSERT INTO batch_failures (run_id, job, item_key, error, resolved_at, resolved_by_run) VALUES
              (3, 'rate-calc', 'x', 'e', '2025-01-04', 4);
            """)
        let result = try runToEnd("maintenance", ["--now", now],
                                  environment: environment(["RETENTION_TABLES": "app_session.expired:7, app_session.expires_at:7"]))
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("app_session.expired: no such table or column"), result.stderr)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM app_session"), 50, "the good rule still ran")
        XCTAssertEqual(try db.connection.query("SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM batch_runs WHERE id <= 4")
            .first!.string("ids"), "2,4", "run 1 went; run 2 is behind a kept collection; run 3 went with its resolved failure")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM batch_failures WHERE item_key = 'x'"), 0)

        let bad = try runToEnd("maintenance", ["--now", now], environment: environment(["RETENTION_TABLES": "app_session; DROP TABLE x"]))
        XCTAssertEqual(bad.status, 78)
        XCTAssertTrue(bad.stderr.contains("retention.tables"), bad.stderr)
    }
}
