import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// SIGKILL while drawing and while mailing, then reruns: every company and business ends with one
/// report, one PDF, one CSV and its mail, no half-written file under a final name, and no mail
/// under a second Message-ID. SIGTERM and SIGINT: the run stops between chunks, `interrupted`.
final class MonthlyReportKillTests: DatabaseTestCase {
    let companies = 250, businesses = 30

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
            -- Businesses with one computed night (1 October, 18:00–05:00) of 22 slots and two casts.
            INSERT INTO business (id, name, site, listing_url, open_time, close_time, report_email)
            SELECT i, '店舗キル' || i, 'dto', 'http://x/' || i, '18:00', '05:00', 'b' || i || '@x.example' FROM generate_series(1, \(businesses)) i;
            INSERT INTO "cast" (business_id, site_cast_id, name, first_seen_at, last_seen_at)
            SELECT b, c::text, 'キャスト' || c, now(), now() FROM generate_series(1, \(businesses)) b, generate_series(1, 2) c;
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok)
            SELECT b, 1, timestamptz '2026-10-01 18:00+09', now(), true FROM generate_series(1, \(businesses)) b;
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            SELECT b, '2026-10-01', '2026-10-01 18:00+09', '2026-10-02 05:00+09', 22, 22, 1, 2, 2, 2, 1 FROM generate_series(1, \(businesses)) b;
            INSERT INTO status_history (cast_id, business_id, business_day, samples, on_shift_samples, busy_samples, attendance_rate,
                                        working_rate, run_id)
            SELECT c.id, c.business_id, '2026-10-01', 22, 11 + c.business_id % 11, c.business_id % 11,
                   (11 + c.business_id % 11) / 22.0, (c.business_id % 11)::numeric / (11 + c.business_id % 11), 1
              FROM "cast" c;
            """)
    }

    func environment(_ smtp: String) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output", "SMTP_URL": smtp, "SMTP_STARTTLS": "off",
         "SMTP_FROM": "reports@nightshift.example", "SMTP_RETRY_BASE_DELAY_MS": "10", "SMTP_RETRY_MAX_DELAY_MS": "20"]
    }

    func files(_ suffix: String, kind: String = "company") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/output/reports/2026-10/\(kind)")) ?? []).filter { $0.hasSuffix(suffix) }
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
        XCTAssertEqual(files(".partial", kind: "business"), [])
        XCTAssertEqual(Set(files(".pdf", kind: "business")), Set((1...businesses).map { "\($0).pdf" }))
        for (kind, count) in [("company", companies), ("business", businesses)] {
            let rows = try db.connection.query("SELECT subject_id, pdf_path, pdf_sha256 FROM report WHERE kind = $1 ORDER BY subject_id",
                                               [kind]).rows
            XCTAssertEqual(try rows.map { try $0.int("subject_id") }, Array(1...count), "one report per \(kind)")
            for row in rows { XCTAssertEqual(try FileDigest.sha256(ofFile: try row.string("pdf_path")), try row.string("pdf_sha256")) }
        }

        // Each company mailed, under the one Message-ID of its report; at most one message twice
        // (a kill between the server's acceptance and our record of it: RFC 1047).
        var perID: [String: Int] = [:]
        for message in try sink.messages() { perID[message.message_id, default: 0] += 1 }
        XCTAssertEqual(Set(perID.keys), Set((1...companies).map { "<report.company.\($0).2026-10@nightshift.example>" }
                                            + (1...businesses).map { "<report.business.\($0).2026-10@nightshift.example>" }))
        XCTAssertLessThanOrEqual(perID.values.filter { $0 > 1 }.count, 1, "\(perID.filter { $0.value > 1 })")
    }

    /// SIGTERM while the first 200 companies' reports are written, SIGINT while the last 50 are:
    /// each run commits that chunk, starts no other and is `interrupted`; the next run makes the
    /// businesses' and the operator's reports, and mails every report once.
    func testEachSignalStopsTheRunBetweenChunksAndTheNextRunFinishes() throws {
        let sink = try SMTPSink()
        let arguments = ["--send", "--now", "2026-11-02T07:00"]
        let term = try runStopped("monthly-report", arguments, environment: environment(sink.url), signal: SIGTERM, holding: "report", in: db)
        XCTAssertEqual(term.status, 143, term.stderr)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM report").first!.int("n"), 200)
        let int = try runStopped("monthly-report", arguments, environment: environment(sink.url), signal: SIGINT, holding: "report", in: db)
        XCTAssertEqual(int.status, 130, int.stderr)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM report").first!.int("n"), companies)
        XCTAssertEqual(try sink.messages().count, 0, "nothing mailed by a stopped run")
        XCTAssertEqual(files(".partial"), [], "no half-written file left")

        let rest = try runToEnd("monthly-report", arguments, environment: environment(sink.url))
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let runs = try db.connection.query("SELECT status, items_ok FROM batch_runs WHERE job = 'monthly-report' ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["interrupted", "interrupted", "succeeded"])
        XCTAssertEqual(try runs.prefix(2).map { try $0.int("items_ok") }, [200, companies - 200])
        XCTAssertEqual(Set(files(".pdf")).count, companies)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM report WHERE kind = 'business'").first!.int("n"), businesses)
        let ids = try sink.messages().map(\.message_id)
        XCTAssertEqual(ids.count, Set(ids).count, "each report mailed once")
        XCTAssertEqual(ids.count, companies + businesses)
    }

    /// Started twice at once: the second is `skipped`; every report is made once and mailed once.
    func testTwoStartsAtOnceMakeAndMailEachReportOnce() throws {
        let sink = try SMTPSink()
        let (first, second) = try runTwiceAtOnce("monthly-report", ["--send", "--now", "2026-11-02T07:00"], environment: environment(sink.url),
                                                 holding: "report", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "monthly-report"), ["succeeded", "skipped"])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM report WHERE kind IN ('company', 'business')").first!.int("n"),
                       companies + businesses)
        let ids = try sink.messages().map(\.message_id)
        XCTAssertEqual(ids.count, companies + businesses)
        XCTAssertEqual(Set(ids).count, ids.count, "each report mailed once")
    }
}
