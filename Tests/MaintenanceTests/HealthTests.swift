import Backups
import Foundation
@testable import Maintenance
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Health checks with provoked conditions, the report stored and mailed by maintenance, and
/// `nightshift health`.
final class HealthTests: DatabaseTestCase {
    func checks(_ limits: HealthChecks.SessionLimits = .init()) async throws -> [String: HealthReport.Check] {
        let backup = try BackupSettings.load(try await ConfigValues.load(filePath: nil, environment: ["BACKUP_DIR": root + "/backups"]))
        let report = try HealthChecks(db: db.connection, now: Date(), directories: ["logs": root], backupSettings: backup, limits: limits).report()
        return Dictionary(uniqueKeysWithValues: report.checks.map { ($0.name, $0) })
    }

    func testProvokedConditionsAreWarnings() async throws {
        let quiet = try await checks()
        for name in ["idle_in_transaction", "sequences", "invalid_indexes", "default_partitions", "index_bloat", "txid_wraparound",
                     "connections", "job_rate-calc"] {
            XCTAssertEqual(quiet[name]?.level, .ok, "\(name): \(quiet[name]?.detail ?? "missing")")
        }
        XCTAssertEqual(quiet["backup_age"]?.level, .critical, "no verified backup at all")

        let idle = try Connection(url: db.url)
        defer { idle.close() }
        try idle.execute(script: "BEGIN; SELECT 1;")
        try db.connection.execute(script: """
            CREATE SEQUENCE ticket_seq MAXVALUE 1000;
            SELECT setval('ticket_seq', 900);
            CREATE TABLE pair (a int, b int);
            INSERT INTO pair VALUES (1, 1), (1, 1);
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (1, '店', 'dto', 'http://x/1', '18:00', '05:00');
            INSERT INTO "cast" (id, business_id, site_cast_id, name, first_seen_at, last_seen_at) VALUES (1, 1, 'a', 'あい', now(), now());
            INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES (1, 1, '2031-01-01 00:00+00', 'off', 'x');
            """)
        XCTAssertThrowsError(try db.connection.execute(script: "CREATE UNIQUE INDEX CONCURRENTLY pair_unique ON pair (a, b)"))
        try await Task.sleep(nanoseconds: 1_200_000_000)

        let found = try await checks(.init(transaction: (warning: 1, critical: 3600), idleInTransaction: (warning: 1, critical: 3600)))
        XCTAssertEqual(found["idle_in_transaction"]?.level, .warning, found["idle_in_transaction"]?.detail ?? "")
        XCTAssertTrue(found["idle_in_transaction"]?.detail.contains("pid ") == true)
        XCTAssertEqual(found["oldest_transaction"]?.level, .warning)
        XCTAssertEqual(found["sequences"]?.level, .warning, "90 % of its range (check_postgres warns at 85)")
        XCTAssertEqual(found["sequences"]?.detail, "public.ticket_seq has used 90.0% of its range")
        XCTAssertEqual(found["invalid_indexes"]?.level, .warning)
        XCTAssertEqual(found["invalid_indexes"]?.detail, "1: pair_unique")
        XCTAssertEqual(found["default_partitions"]?.level, .warning)
        XCTAssertEqual(found["default_partitions"]?.detail, "status_default: 1 rows")
        try idle.execute(script: "ROLLBACK")
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_ARCHIVE_DIR": root + "/archive", "BACKUP_DIR": root + "/backups",
         "MAINTENANCE_HEALTH_SKIP": "backup_age"].merging(extra) { $1 }
    }

    func testAWarningFailsTheRunIsStoredMailedOnceAndResolvedWhenItPasses() throws {
        let sink = try SMTPSink()
        let mail = ["MAINTENANCE_REPORT_EMAILS": "ops@nightshift.example", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
                    "SMTP_FROM": "maintenance@nightshift.example"]
        try db.connection.execute(script: "CREATE SEQUENCE ticket_seq MAXVALUE 1000; SELECT setval('ticket_seq', 960);")

        let warned = try runToEnd("maintenance", ["--now", "2026-12-06T04:00"], environment: environment(mail))
        XCTAssertEqual(warned.status, 1, warned.stderr)
        XCTAssertTrue(warned.stderr.contains("health sequences critical: critical: public.ticket_seq has used 96.0% of its range"),
                      warned.stderr)
        XCTAssertEqual(Array(try db.openFailures(job: "maintenance").keys), ["health:sequences"])
        let snapshot = try db.connection.query("SELECT level, report->>'database' AS db FROM health_snapshot").rows
        XCTAssertEqual(try snapshot.map { "\(try $0.string("level")) \(try $0.string("db"))" }, ["critical \(db.name)"])
        let letters = try sink.messages()
        XCTAssertEqual(letters.map(\.rcpt_tos), [["ops@nightshift.example"]])
        XCTAssertEqual(letters.first?.subject, "[nightshift] \(db.name): health critical (1 checks)")
        XCTAssertTrue(letters.first?.text?.contains("CRITICAL sequences: public.ticket_seq has used 96.0% of its range") == true,
                      letters.first?.text ?? "")

        let health = try runToEnd("nightshift", ["health", "--json"], environment: environment())
        XCTAssertEqual(health.status, 1, health.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(health.stdout.utf8)) as? [String: Any]
        let checks = parsed?["checks"] as? [[String: Any]] ?? []
        XCTAssertEqual(checks.first { $0["name"] as? String == "sequences" }?["level"] as? String, "critical")
        XCTAssertNil(checks.first { $0["name"] as? String == "backup_age" }, "skipped as configured")

        try db.connection.execute(script: "ALTER SEQUENCE ticket_seq MAXVALUE 100000")
        let fine = try runToEnd("maintenance", ["--json", "--now", "2026-12-13T04:00"], environment: environment(mail))
        XCTAssertEqual(fine.status, 0, fine.stderr)
        let printed = try JSONSerialization.jsonObject(with: Data(fine.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((printed?["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "sequences" }?["level"] as? String, "ok",
                       "--json prints the run's health report")
        XCTAssertEqual(try db.openFailures(job: "maintenance"), [:], "resolved by the run where it passes")
        XCTAssertEqual(try sink.messages().count, 1, "nothing mailed when all is well")
        let text = try runToEnd("nightshift", ["health"], environment: environment())
        XCTAssertEqual(text.status, 0, text.stdout + text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("health of \(db.name) at "), text.stdout)
        XCTAssertTrue(text.stdout.contains("OK       database_size: "), text.stdout)
    }
}
