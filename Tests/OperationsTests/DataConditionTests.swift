import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// The outcome checks, provoked from the data itself: the last slot's samples, the rate days,
/// yesterday's usage, the newest verified backup (made by the real `backup`).
final class DataConditionTests: WatchTestCase {
    func testMissingSamplesRatesAndUsageFireRepeatAndRecoverOnce() throws {
        // Monday 7 December, 10:00 Tokyo; every job ran on time.
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-07T10:00:00+09:00"))
        let runID = try db.connection.query("SELECT max(id) AS id FROM batch_runs").first!.int("id")
        try db.connection.execute(script: """
            -- Open 09:00–18:00: the 09:30 slot (the last whose grace is over at 10:00) has no sample.
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (7, '昼の店', 'dto', 'http://x/7', '09:00', '18:00');
            -- Open 18:00–02:00: sampled on Saturday 5 December (37 hours back is Saturday 21:00), no rates.
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (8, '夜の店', 'dto', 'http://x/8', '18:00', '02:00');
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES (8, \(runID), '2026-12-05T20:00:00+09:00', now(), true);
            -- A company since 1 December; no system-wide usage row for Sunday 6 December (29 hours back).
            INSERT INTO company (id, name, billing_email, active, created_at) VALUES (1, 'A', 'a@example.jp', true, '2026-12-01 00:00+09');
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT NULL, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, \(runID) FROM generate_series(date '2026-12-02', date '2026-12-05', '1 day') d;
            """)
        XCTAssertEqual(try watch("2026-12-07T10:00:00+09:00").status, 0)
        XCTAssertEqual(try openAlerts(), ["rate_days_missing", "samples_missing", "usage_day_missing"])
        let summaries = try Dictionary(uniqueKeysWithValues: db.connection.query("SELECT key, summary FROM alert").rows.map {
            (try $0.string("key"), try $0.string("summary"))
        })
        XCTAssertEqual(summaries["samples_missing"], "1 business(es) open at 2026-12-07T09:30:00+09:00 without a sample: 昼の店 (7)")
        XCTAssertEqual(summaries["rate_days_missing"], "1 business day(s) without rates, the oldest 2026-12-05: 夜の店 (8)")
        XCTAssertEqual(summaries["usage_day_missing"], "no usage_log rows for 2026-12-06")
        XCTAssertEqual(try notices().sorted(), ["fired rate_days_missing", "fired samples_missing", "fired usage_day_missing"])

        // Still so after the cadence (240 min): repeated once each (a missing day stays missing as
        // the days go by). The 09:30 slot's sample came meanwhile, but 13:30's did not.
        try db.connection.execute(script: """
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES (7, \(runID), '2026-12-07T09:30:00+09:00', now(), true);
            """)
        try ledgerOnTime(since: at("2026-12-07T10:00:00+09:00"), until: at("2026-12-07T14:00:00+09:00"), only: ["status-collect", "rate-calc", "invoice-send", "approach-delivery"])
        XCTAssertEqual(try watch("2026-12-07T14:00:00+09:00").status, 0)
        XCTAssertEqual(try notices().filter { $0.hasPrefix("repeated") }.sorted(),
                       ["repeated rate_days_missing", "repeated samples_missing", "repeated usage_day_missing"])

        // The data made: each recovers once.
        try db.connection.execute(script: """
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES (7, \(runID), '2026-12-07T13:30:00+09:00', now(), true);
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            VALUES (8, '2026-12-05', '2026-12-05 18:00+09', '2026-12-06 02:00+09', 16, 1, 0.0625, 0, 0, 0, \(runID));
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            VALUES (NULL, '2026-12-06', 0, 0, 0, 0, 0, 0, 0, 0, 0, \(runID));
            """)
        XCTAssertEqual(try watch("2026-12-07T14:05:00+09:00").status, 0)
        XCTAssertEqual(try openAlerts(), [])
        XCTAssertEqual(try notices().filter { $0.hasPrefix("recovered") }.sorted(),
                       ["recovered rate_days_missing", "recovered samples_missing", "recovered usage_day_missing"])
        XCTAssertEqual(try watch("2026-12-07T14:09:00+09:00").status, 0)
        XCTAssertEqual(try notices().count, 9, "recovered once")
    }

    func testTheNewestVerifiedBackupTooOldOrMissing() throws {
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-08T04:00:00+09:00"))
        let backups = root + "/backups"
        let env = ["WATCH_SKIP": Self.notifySchedule, "BACKUP_DIR": backups]
        XCTAssertEqual(try watch("2026-12-07T00:30:00+09:00", env).status, 0)
        XCTAssertEqual(try db.connection.query("SELECT summary FROM alert WHERE key = 'backup_age' AND closed_at IS NULL").first?.string("summary"),
                       "no verified backup of \(db.name) in \(backups)")

        let made = try runToEnd("backup", ["--now", "2026-12-07T01:00:00+09:00"], environment: environment(env))
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(try watch("2026-12-08T03:00:00+09:00", env).status, 0, "26 hours old: still within the limit")
        XCTAssertEqual(try openAlerts(), [])
        XCTAssertEqual(try watch("2026-12-08T03:05:00+09:00", env).status, 0)
        XCTAssertEqual(try db.connection.query("SELECT summary FROM alert WHERE key = 'backup_age' AND closed_at IS NULL").first?.string("summary"),
                       "the newest verified backup of \(db.name) is 26 h 05 min old (limit 26 h)")
        XCTAssertEqual(try notices(), ["fired backup_age", "recovered backup_age", "fired backup_age"])
    }

    func testANotificationBacklogFiresAndRecovers() throws {
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-07T10:00:00+09:00"))
        try db.connection.execute(script: """
            INSERT INTO notification (channel, recipient, template, due_at)
            SELECT 'email', 'e' || i || '@x.example', 'message_received', timestamptz '2026-12-07T09:50:00+09:00' + i * interval '1 minute'
              FROM generate_series(0, 5) i;
            """)
        // Due 09:50 … 09:55, now 10:00: four are over 5 minutes late (09:55 is exactly 5).
        let env = ["WATCH_NOTIFY_BACKLOG_THRESHOLD": "3"]
        XCTAssertEqual(try watch("2026-12-07T10:00:00+09:00", env).status, 0)
        XCTAssertEqual(try openAlerts(), ["notify_backlog"])
        XCTAssertEqual(try db.connection.query("SELECT summary FROM alert").first!.string("summary"),
                       "5 notifications overdue (threshold 3), the oldest due at 2026-12-07T09:50:00+09:00")
        try db.connection.execute(script: "UPDATE notification SET status = 'delivered', delivered_at = now()")
        XCTAssertEqual(try watch("2026-12-07T10:05:00+09:00", env).status, 0)
        XCTAssertEqual(try notices(), ["fired notify_backlog", "recovered notify_backlog"])
    }
}
