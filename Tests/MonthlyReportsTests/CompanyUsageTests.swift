import Foundation
import MonthlyReports
import NightshiftCore
import TestSupport
import XCTest

/// A company's month in figures, against rows written by hand and figures counted by hand.
final class CompanyUsageTests: DatabaseTestCase {
    let october = CalendarMonth("2026-10")!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try CompanyUsageTests.loadUsage(db)
    }

    static func loadUsage(_ db: TestDatabase) throws {
        // Company 1: all of September and October. Company 2: created on 15 October.
        // September (30 days): 8 users, 3 active every day, 1 approach a day, 100 MB.
        // October (31 days): 10 users on days 1–20 and 12 on days 21–31; active users d % 5
        // (1, 2, 3, 4, 0 …); 2 approaches and 1 login a day; storage 100 + d MB.
        // Company 2 (15–31 October, 17 days): 3 users, 1 active, 5 API calls a day.
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'usage-aggregate', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO company (id, name, billing_email) VALUES (1, '株式会社いち', 'a@x.example'), (2, '株式会社に', 'b@x.example');
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT 1, d, 8, 3, 2, 1, 1, 0, 0, 0, 100, 1 FROM generate_series(date '2026-09-01', date '2026-09-30', '1 day') d;
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT 1, d, CASE WHEN extract(day FROM d) <= 20 THEN 10 ELSE 12 END, extract(day FROM d)::int % 5,
                   CASE WHEN extract(day FROM d) = 10 THEN 4 ELSE 3 END, 2, 2, 0, 1, 0, 100 + extract(day FROM d)::int, 1
              FROM generate_series(date '2026-10-01', date '2026-10-31', '1 day') d;
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT 2, d, 3, 1, 0, 0, 0, 0, 0, 5, 0, 1 FROM generate_series(date '2026-10-15', date '2026-10-31', '1 day') d;
            """)
    }

    func testTheMonthAndTheMonthBeforeAreCountedFromTheRowsThereAre() throws {
        let usage = try CompanyUsage.load(db.connection, month: october, companies: [1, 2, 3])
        let one = try XCTUnwrap(usage[1]?.current)
        XCTAssertEqual(one.days, 31)
        XCTAssertEqual([one.usersMax, one.usersEnd, one.usersSum], [12, 12, 20 * 10 + 11 * 12])  // 332
        XCTAssertEqual(one.usersAverage, 332.0 / 31)
        // d % 5 over 1…31: six rounds of 1+2+3+4+0 = 60, and day 31 gives 1.
        XCTAssertEqual([one.activeUsersMax, one.activeUsersSum], [4, 61])
        XCTAssertEqual([one.engineersMax, one.activeEngineersMax], [4, 2])
        XCTAssertEqual([one.approaches, one.emailsSent, one.logins, one.apiCalls], [62, 0, 31, 0])
        XCTAssertEqual(one.storageEndMB, 131)
        XCTAssertEqual(one.dailyActiveUsers[4], 0, "the 5th")
        XCTAssertEqual(one.dailyActiveUsers[30], 1, "the 31st")
        XCTAssertEqual(one.dailyApproaches, Array(repeating: 2, count: 31))

        let before = try XCTUnwrap(usage[1]?.previous)
        XCTAssertEqual([before.days, before.usersMax, before.usersEnd, before.usersSum, before.approaches, before.storageEndMB],
                       [30, 8, 8, 240, 30, 100])

        let two = try XCTUnwrap(usage[2]?.current)
        XCTAssertEqual([two.days, two.usersMax, two.usersSum, two.apiCalls], [17, 3, 51, 85])
        XCTAssertEqual(two.dailyActiveUsers, Array(repeating: nil, count: 14) + Array(repeating: 1, count: 17))
        XCTAssertEqual(usage[1]?.previous?.dailyApproaches.count, 30, "September has 30 days")
        XCTAssertNil(usage[2]?.previous, "no rows in September: no comparison, not zeros")
        XCTAssertEqual(usage[3], CompanyUsage(companyID: 3), "a company without rows has neither period")
    }

    func testAMonthIsCompleteOnlyWhenEveryDayHasItsSystemRow() throws {
        try db.connection.execute(script: """
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT NULL, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM generate_series(date '2026-10-01', date '2026-10-31', '1 day') d
             WHERE d NOT IN (date '2026-10-05', date '2026-10-31')
            """)
        XCTAssertEqual(try MonthCompleteness.missingUsageDays(db.connection, month: october), ["2026-10-05", "2026-10-31"])
        try db.connection.execute(script: """
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            VALUES (NULL, '2026-10-05', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), (NULL, '2026-10-31', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
            """)
        XCTAssertEqual(try MonthCompleteness.missingUsageDays(db.connection, month: october), [])
    }
}
