import Foundation
import TestSupport
import XCTest

/// `maintenance` and `maintenance analyze` stopped by SIGTERM / SIGINT mid-run: the unit in
/// progress commits, no later step starts (no health snapshot, no analysis mailed), the run is
/// `interrupted` with exit 143 / 130, and the next run does the whole work.
final class StopSignalTests: DatabaseTestCase {
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_ARCHIVE_DIR": root + "/archive",
         "MAINTENANCE_HEALTH_SKIP": "backup_age"].merging(extra) { $1 }
    }

    func count(_ table: String) throws -> Int { try db.connection.query("SELECT count(*) AS n FROM \(table)").first!.int("n") }

    func testMaintenanceStopsBeforeItsNextStep() throws {
        let arguments = ["--now", "2026-12-06T04:00"]
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let stopped = try runStopped("maintenance", arguments, environment: environment(), signal: signal, holding: "batch_failures", in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
            XCTAssertEqual(try count("health_snapshot"), 0, "the health report, the last step, never started")
        }
        let whole = try runToEnd("maintenance", arguments, environment: environment())
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(try count("health_snapshot"), 1)
        XCTAssertEqual(try db.connection.query("SELECT status FROM batch_runs WHERE job = 'maintenance' ORDER BY id").rows.map { try $0.string("status") },
                       ["interrupted", "interrupted", "succeeded"])
    }

    /// ... and the next run mails the analysis the stopped run stored instead of measuring again.
    func testAnalyzeStopsBeforeMailing() throws {
        let sink = try SMTPSink()
        let env = environment(["MAINTENANCE_REPORT_EMAILS": "ops@nightshift.example", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
                               "SMTP_FROM": "nightshift@nightshift.example"])
        let arguments = ["analyze", "--now", "2026-12-07T05:00"]
        // SIGTERM while the analysis is stored; SIGINT while the next run posts that analysis's letter.
        for (signal, code, table) in [(SIGTERM, Int32(143), "performance_analysis"), (SIGINT, Int32(130), "mail_outbox")] {
            let stopped = try runStopped("maintenance", arguments, environment: env, signal: signal, holding: table, in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
        }
        XCTAssertEqual(try sink.messages().count, 0, "no mail started after the signal")
        let whole = try runToEnd("maintenance", arguments, environment: env)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(try sink.messages().count, 1)
        XCTAssertEqual(try db.connection.query("SELECT status FROM batch_runs WHERE job = 'maintenance-analyze' ORDER BY id").rows.map { try $0.string("status") },
                       ["interrupted", "interrupted", "succeeded"])
        // The analysis mailed is the one the stopped run stored, not a new one.
        XCTAssertEqual(try count("performance_analysis"), 1)
        let newest = try db.connection.query("SELECT max(id) AS id FROM performance_analysis").first!.int("id")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE about LIKE 'analysis:\(newest):%' AND status = 'sent'")
                        .first!.int("n"), 1)
        XCTAssertEqual(try runToEnd("maintenance", arguments, environment: env).status, 0)
        XCTAssertEqual(try count("performance_analysis"), 2, "once mailed, a new run makes a new analysis")
    }

    /// Each started twice at once: the second is `skipped`; one health snapshot, one analysis
    /// mailed once.
    func testTwoStartsAtOnceLeaveOneSnapshotAndOneAnalysis() throws {
        let (first, second) = try runTwiceAtOnce("maintenance", ["--now", "2026-12-06T04:00"], environment: environment(),
                                                 holding: "batch_failures", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "maintenance"), ["succeeded", "skipped"])
        XCTAssertEqual(try count("health_snapshot"), 1)

        let sink = try SMTPSink()
        let env = environment(["MAINTENANCE_REPORT_EMAILS": "ops@nightshift.example", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
                               "SMTP_FROM": "nightshift@nightshift.example"])
        let analyses = try runTwiceAtOnce("maintenance", ["analyze", "--now", "2026-12-07T05:00"], environment: env,
                                          holding: "performance_analysis", in: db)
        XCTAssertEqual(analyses.first.status, 0, analyses.first.stderr)
        XCTAssertEqual(analyses.second.status, 0, analyses.second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "maintenance-analyze"), ["succeeded", "skipped"])
        XCTAssertEqual(try count("performance_analysis"), 1)
        XCTAssertEqual(try sink.messages().count, 1)
    }
}
