import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// SIGKILL while drawing and while mailing, then reruns: every company ends with one report, one
/// PDF, one CSV and its mail, no half-written file under a final name, and no mail under a second
/// Message-ID.
final class MonthlyReportKillTests: DatabaseTestCase {
    let companies = 250

    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'usage-aggregate', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO company (id, name, billing_email) SELECT i, '株式会社キル' || i, 'c' || i || '@x.example' FROM generate_series(1, \(companies)) i;
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT c, d, 5 + c % 7, c % 5, 1, 1, extract(day FROM d)::int % 4, 0, 1, 0, 10, 1
              FROM generate_series(1, \(companies)) c, generate_series(date '2026-09-01', date '2026-10-31', '1 day') d;
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT NULL, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM generate_series(date '2026-09-01', date '2026-10-31', '1 day') d;
            """)
    }

    func environment(_ smtp: String) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output", "SMTP_URL": smtp, "SMTP_STARTTLS": "off",
         "SMTP_FROM": "reports@nightshift.example", "SMTP_RETRY_BASE_DELAY_MS": "10", "SMTP_RETRY_MAX_DELAY_MS": "20"]
    }

    func files(_ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/output/reports/2026-10/company")) ?? []).filter { $0.hasSuffix(suffix) }
    }

    func testKilledWhileDrawingAndWhileMailingThenRerunEachCompanyHasOneReportAndOneMail() throws {
        let sink = try SMTPSink()
        let arguments = ["--send", "--now", "2026-11-02T07:00"]
        try runUntilKilled("monthly-report", arguments, environment: environment(sink.url)) { files(".partial").count >= 10 }
        XCTAssertLessThan(files(".pdf").count, companies, "killed before the last PDF")
        try runUntilKilled("monthly-report", arguments, environment: environment(sink.url)) {
            try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE status = 'sent'").first!.int("n") >= 40
        }
        XCTAssertLessThan(try sink.messages().count, companies, "killed before the last mail")

        let rerun = try runToEnd("monthly-report", arguments, environment: environment(sink.url))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)

        XCTAssertEqual(files(".partial"), [], "no half-written file left")
        XCTAssertEqual(Set(files(".pdf")), Set((1...companies).map { "\($0).pdf" }))
        XCTAssertEqual(Set(files(".csv")), Set((1...companies).map { "\($0).csv" }))
        let rows = try db.connection.query("SELECT subject_id, pdf_path, pdf_sha256 FROM report WHERE kind = 'company' ORDER BY subject_id").rows
        XCTAssertEqual(try rows.map { try $0.int("subject_id") }, Array(1...companies), "one report per company")
        for row in rows { XCTAssertEqual(try FileDigest.sha256(ofFile: try row.string("pdf_path")), try row.string("pdf_sha256")) }

        // Each company mailed, under the one Message-ID of its report; at most one message twice
        // (a kill between the server's acceptance and our record of it: RFC 1047).
        var perID: [String: Int] = [:]
        for message in try sink.messages() { perID[message.message_id, default: 0] += 1 }
        XCTAssertEqual(Set(perID.keys), Set((1...companies).map { "<report.company.\($0).2026-10@nightshift.example>" }))
        XCTAssertLessThanOrEqual(perID.values.filter { $0 > 1 }.count, 1, "\(perID.filter { $0.value > 1 })")
    }
}
