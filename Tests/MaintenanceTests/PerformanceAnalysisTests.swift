import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// The week against the week before, from a ledger counted by hand: rate-calc's median went from
/// 1,000 to 2,000 ms (flagged), backup's stayed; API calls summed per company over the 7 days.
final class PerformanceAnalysisTests: DatabaseTestCase {
    func testTheWeekAgainstTheWeekBeforeIsStoredMailedAndPrinted() throws {
        try db.connection.execute(script: """
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, items_ok, items_failed)
            SELECT 'rate-calc', 'h', 1, CASE WHEN d = 2 THEN 'failed' ELSE 'succeeded' END,
                   timestamptz '2026-12-06 03:00+09' - d * interval '1 day', timestamptz '2026-12-06 03:00+09' - d * interval '1 day'
                     + CASE WHEN d <= 6 THEN interval '2 seconds' ELSE interval '1 second' END, 10, 0
              FROM generate_series(1, 13) d;
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, items_ok)
            SELECT 'backup', 'h', 1, 'succeeded', timestamptz '2026-12-06 01:00+09' - d * interval '1 day',
                   timestamptz '2026-12-06 01:00+09' - d * interval '1 day' + interval '10 seconds', 1
              FROM generate_series(1, 13) d;
            INSERT INTO company (id, name, billing_email) VALUES (1, '株式会社いち', 'a@x.example'), (2, '株式会社に', 'b@x.example');
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT c, d, 1, 1, 1, 1, 0, 0, 0, c * 100, 0, 1
              FROM generate_series(1, 2) c, generate_series(date '2026-11-25', date '2026-12-05', '1 day') d;
            """)
        let sink = try SMTPSink()
        let environment = ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_REPORT_EMAILS": "ops@nightshift.example",
                           "SMTP_URL": sink.url, "SMTP_STARTTLS": "off", "SMTP_FROM": "maintenance@nightshift.example"]
        let run = try runToEnd("maintenance", ["analyze", "--json", "--now", "2026-12-06T05:00"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let analysis = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let jobs = analysis["jobs"] as! [[String: Any]]
        let rateCalc = jobs.first { $0["job"] as? String == "rate-calc" }!
        // The 7 days before 6 December 05:00 hold days 1–6 back from the 6th at 03:00 (2 s each, day 2 failed);
        // the week before, days 7–13 (1 s each).
        XCTAssertEqual((rateCalc["current"] as? [String: Any])?["runs"] as? Int, 6)
        XCTAssertEqual((rateCalc["current"] as? [String: Any])?["failures"] as? Int, 1)
        XCTAssertEqual((rateCalc["current"] as? [String: Any])?["p50MS"] as? Int, 2000)
        XCTAssertEqual((rateCalc["previous"] as? [String: Any])?["p50MS"] as? Int, 1000)
        XCTAssertEqual((rateCalc["current"] as? [String: Any])?["itemsPerSecond"] as? Double, 5, "60 items in 12 s")
        XCTAssertEqual(rateCalc["slower"] as? Bool, true)
        XCTAssertEqual(jobs.first { $0["job"] as? String == "backup" }?["slower"] as? Bool, false)
        XCTAssertEqual((analysis["apiCalls"] as? [[String: Any]])?.map { "\($0["name"]!) \($0["apiCalls"]!)" },
                       ["株式会社に 1400", "株式会社いち 700"], "seven days of usage")
        XCTAssertNotNil(analysis["statementsNote"] ?? analysis["slowestByTotal"])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM performance_analysis").first!.int("n"), 1)
        let mail = try sink.messages()
        XCTAssertEqual(mail.map(\.subject), ["[nightshift] \(db.name): the week's performance (slower: rate-calc)"])
        XCTAssertTrue(mail.first?.text?.contains("rate-calc  SLOWER: median +100%") == true, mail.first?.text ?? "")
    }
}
