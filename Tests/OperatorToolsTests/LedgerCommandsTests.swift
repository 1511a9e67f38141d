import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// `nightshift runs` and `nightshift failures` as an operator uses them.
final class LedgerCommandsTests: XCTestCase {
    var db: TestDatabase!
    var environment: [String: String] { ["DATABASE_URL": db.url, "LOG_DIR": NSTemporaryDirectory() + "nightshift-ledger-logs"] }

    override func setUpWithError() throws {
        db = try TestDatabase()
        try db.connection.execute(script: """
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, items_ok)
            VALUES ('rate-calc', 'h', 1, 'succeeded', '2026-11-23 12:00:00+00', '2026-11-23 12:00:01.5+00', 3);
            """)
    }

    override func tearDown() { db = nil }

    func testUnknownValuesAreUsageErrorsListingTheValidOnes() throws {
        let status = try runToEnd("nightshift", ["runs", "--status", "bogus"], environment: environment)
        XCTAssertEqual(status.status, 64)
        XCTAssertTrue(status.stderr.contains("--status bogus: expected one of running, succeeded, partial, failed, skipped, abandoned"),
                      status.stderr)
        for command in ["runs", "failures"] {
            let job = try runToEnd("nightshift", [command, "--job", "nosuchjob"], environment: environment)
            XCTAssertEqual(job.status, 64)
            XCTAssertTrue(job.stderr.contains("--job nosuchjob: expected one of status-collect, rate-calc, backup, usage-aggregate, invoice"),
                          job.stderr)
            let limit = try runToEnd("nightshift", [command, "--limit", "-3"], environment: environment)
            XCTAssertEqual(limit.status, 64)
            XCTAssertTrue(limit.stderr.contains("--limit must be a positive number of rows, got -3"), limit.stderr)
            XCTAssertFalse(limit.stderr.lowercased().contains("missing value"), limit.stderr)
        }
    }

    func testRunsShowLocalTimesWithTheirOffsetUnderAHeader() throws {
        let result = try runToEnd("nightshift", ["runs"], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("id  job        status     started_at                 finished_at"), result.stdout)
        XCTAssertTrue(lines[1].contains("2026-11-23T21:00:00+09:00  2026-11-23T21:00:01+09:00"), result.stdout)
        XCTAssertFalse(result.stdout.contains("+00"), result.stdout)
        let json = try runToEnd("nightshift", ["runs", "--json"], environment: environment.merging(["TIMEZONE": "UTC"]) { $1 })
        XCTAssertTrue(json.stdout.contains("\"started_at\":\"2026-11-23T12:00:00+00:00\""), json.stdout)
    }
}
