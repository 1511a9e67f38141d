import Foundation
import MonthlyReports
import NightshiftCore
import TestSupport
import XCTest

/// The operator's October 2026, every figure counted by hand; month bounds in Tokyo time.
final class OperatorReportTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try CompanyUsageTests.loadUsage(db)
        try db.connection.execute(script: """
            -- System rows: 16 users a day in September, 20 in October, 5 approaches a day.
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT NULL, d, CASE WHEN d < '2026-10-01' THEN 16 ELSE 20 END, 4, 3, 2, 5, 0, 0, 0, 0, 1
              FROM generate_series(date '2026-09-01', date '2026-10-31', '1 day') d;
            INSERT INTO contract_plan (id, name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen)
            VALUES (1, 'Standard', 50000, 10, 1000, 5, 3000), (2, 'Light', 30000, 5, 1200, 2, 4000);
            INSERT INTO contract (id, company_id, plan_id, starts_on) VALUES (1, 1, 1, '2025-01-01'), (2, 2, 2, '2026-10-15'), (3, 1, 2, '2025-01-01');
            -- September: contracts 1 and 3. October: contracts 1 and 2 (2 new, 3 lost).
            INSERT INTO invoice (invoice_number, contract_id, company_id, billing_month, period_start, period_end, issue_date, due_date,
                                 recipient_name, recipient_postal_code, recipient_address, recipient_email, issuer_name, issuer_address,
                                 issuer_registration, plan_name, max_users, max_engineers, subtotal_yen, tax_rate_percent, tax_yen,
                                 total_yen, run_id)
            SELECT n, k, c, m, m, (m + interval '1 month - 1 day')::date, m, m, 'x', '', '', 'x@x.example', 'i', 'a', 'T9234567890123',
                   plan, 1, 1, sub, 10, sub / 10, sub + sub / 10, 1
              FROM (VALUES ('S1', 1, 1, date '2026-09-01', 'Standard', 50000), ('S3', 3, 1, date '2026-09-01', 'Light', 10000),
                           ('O1', 1, 1, date '2026-10-01', 'Standard', 50000), ('O2', 2, 2, date '2026-10-01', 'Light', 30000))
                   AS v(n, k, c, m, plan, sub);
            INSERT INTO mail_outbox (about, recipient, message_id, status, sent_at)
            SELECT 'invoice:' || id, 'x@x.example', 'm' || id, 'sent', now() FROM invoice WHERE invoice_number = 'O1';
            -- Engineers (Tokyo): one since September; one new on 5 October, inactive; one removed on
            -- 20 October; one new at 23:30 on the 31st; one created at 00:30 on 1 November (not October).
            INSERT INTO engineer (company_id, name, status, created_at, deleted_at) VALUES
              (1, 'a', 'active', '2026-09-10 10:00+09', NULL), (1, 'b', 'inactive', '2026-10-05 10:00+09', NULL),
              (1, 'c', 'active', '2026-08-01 10:00+09', '2026-10-20 10:00+09'), (1, 'd', 'active', '2026-10-31 23:30+09', NULL),
              (1, 'e', 'active', '2026-11-01 00:30+09', NULL);
            -- status-collect's October (Tokyo): 100, 200, 300 (partial), 400 ms and one failed of
            -- 1000 ms; a skipped one; one at 00:10 on 1 November that belongs to November.
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at)
            SELECT 'status-collect', 'h', 1, s, t, t + ms * interval '1 millisecond'
              FROM (VALUES ('succeeded', timestamptz '2026-10-01 00:10+09', 100), ('succeeded', '2026-10-10 12:00+09', 200),
                           ('partial', '2026-10-20 12:00+09', 300), ('succeeded', '2026-10-31 23:50+09', 400),
                           ('failed', '2026-10-15 12:00+09', 1000), ('succeeded', '2026-11-01 00:10+09', 5000)) AS v(s, t, ms);
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at) VALUES
              ('status-collect', 'h', 1, 'skipped', '2026-10-16 12:00+09', '2026-10-16 12:00+09');
            INSERT INTO batch_failures (run_id, job, item_key, error, resolved_at) VALUES
              (1, 'status-collect', 'business:1', 'x', NULL), (1, 'status-collect', 'business:2', 'x', NULL),
              (1, 'status-collect', 'business:3', 'x', now());
            """)
    }

    func testTheOperatorsMonthCountedByHand() throws {
        let report = try OperatorReport.make(db.connection, month: CalendarMonth("2026-10")!, timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        XCTAssertEqual(report.usage.current?.usersMax, 20)
        XCTAssertEqual(report.usage.current?.usersSum, 620)
        XCTAssertEqual(report.usage.current?.approaches, 155)
        XCTAssertEqual(report.usage.previous?.usersEnd, 16)

        func figures(_ revenue: OperatorReport.Revenue?) -> [Int] {
            revenue.map { [$0.invoices, $0.subtotalYen, $0.taxYen, $0.totalYen] } ?? []
        }
        XCTAssertEqual(figures(report.revenue), [2, 80_000, 8_000, 88_000])
        XCTAssertEqual(figures(report.previousRevenue), [2, 60_000, 6_000, 66_000])
        XCTAssertEqual(report.byPlan.map { "\($0.plan) \($0.invoices) \($0.totalYen)" }, ["Light 1 33000", "Standard 1 55000"])
        XCTAssertEqual([report.newContracts, report.lostContracts, report.unsentInvoices], [1, 1, 1])

        let engineers = report.engineers
        XCTAssertEqual([engineers.registered, engineers.active, engineers.added, engineers.removed], [3, 2, 2, 1])

        let collect = try XCTUnwrap(report.jobs.first { $0.job == "status-collect" })
        XCTAssertEqual([collect.runs, collect.failed, collect.partial, collect.openItems], [5, 1, 1, 2])
        XCTAssertEqual([collect.p50MS, collect.p95MS, collect.maxMS], [300, 1000, 1000])
        let invoice = try XCTUnwrap(report.jobs.first { $0.job == "invoice" })
        XCTAssertEqual(invoice.runs, 0)
        XCTAssertNil(invoice.p50MS, "no runs: no duration, not zero")
        XCTAssertEqual(report.jobs.map(\.job), RunLedger.jobs)
    }
}
