import Foundation
import TestSupport
import XCTest

/// approach-delivery as the real process against a real SMTP sink: who an approach goes to, its
/// schedule across a month end, a DST change in New York and a week of missed runs, and exactly
/// once under reruns and SIGKILL.
final class ApproachDeliveryTests: DatabaseTestCase {
    var sink: SMTPSink!

    override func setUpWithError() throws {
        try super.setUpWithError()
        sink = try SMTPSink()
        try db.connection.execute(script: "INSERT INTO company (id, name, billing_email) VALUES (1, '株式会社アプローチ', 'a@example.jp')")
    }

    override func tearDownWithError() throws {
        sink = nil
        try super.tearDownWithError()
    }

    var environment: [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
         "SMTP_FROM": "approach@nightshift.example"]
    }

    func deliver(_ now: String) throws -> ProcessResult {
        try runToEnd("approach-delivery", ["--now", now], environment: environment)
    }

    func engineer(_ id: Int, _ placement: String, _ skills: String, years: Int, email: Bool = true, status: String = "active") throws {
        try db.connection.query("""
            INSERT INTO engineer (id, company_id, name, placement, skills, experience_years, email, status)
            VALUES ($1::int8, 1, 'エンジニア' || $1::text, $2, $3::text[], $4, CASE WHEN $5::bool THEN 'e' || $1::text || '@engineer.example' END, $6)
            """, [id, placement, skills, years, email, status])
    }

    /// An approach; `schedule` is the cadence's columns as SQL values (cadence, weekday, month_day, local_time, time_zone).
    @discardableResult
    func approach(_ name: String, skills: String = "{}", minYears: Int = 0, schedule: String, created: String) throws -> Int {
        try db.connection.query("""
            INSERT INTO approach (company_id, name, skills, min_years, cadence, weekday, month_day, local_time, time_zone,
                                  subject_template, body_template, created_at)
            SELECT 1, $1, $2::text[], $3, s.cadence, s.weekday, s.month_day, s.local_time, s.time_zone,
                   '{{company_name}}より: {{approach_name}}', '{{engineer_name}} 様' || chr(10) || chr(10) || '{{company_name}}です。', $4::timestamptz
              FROM (VALUES \(schedule)) AS s(cadence, weekday, month_day, local_time, time_zone)
            RETURNING id
            """, [name, skills, minYears, created]).first!.int("id")
    }

    func next(_ id: Int) throws -> Date? {
        try db.connection.query("SELECT next_delivery_at FROM approach WHERE id = $1", [id]).first!.optionalDate("next_delivery_at")
    }

    func periods(_ id: Int) throws -> [Date] {
        try db.connection.query("SELECT period_at FROM approach_delivery WHERE approach_id = $1 ORDER BY period_at", [id]).rows.map { try $0.date("period_at") }
    }

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testWhoAnApproachGoesToOnceAPeriod() throws {
        try engineer(1, "waiting", "{swift,postgres}", years: 5)
        try engineer(2, "waiting_soon", "{swift}", years: 3)              // no postgres
        try engineer(3, "working", "{swift,postgres}", years: 10)         // placed
        try engineer(4, "waiting", "{swift,postgres,go}", years: 2)       // too few years
        try engineer(5, "waiting_soon", "{postgres,swift}", years: 3)     // exactly the minimum
        try engineer(6, "waiting", "{swift,postgres}", years: 8)          // excluded below
        try engineer(7, "waiting", "{swift,postgres}", years: 8, email: false)
        try engineer(8, "waiting", "{swift,postgres}", years: 8, status: "inactive")
        let daily = try approach("Swift案件", skills: "{swift,postgres}", minYears: 3,
                                 schedule: "('daily', NULL::int, NULL::int, time '09:00', 'Asia/Tokyo')", created: "2026-12-01T00:00:00+09:00")
        let nobody = try approach("COBOL案件", skills: "{cobol}", schedule: "('daily', NULL::int, NULL::int, time '09:00', 'Asia/Tokyo')",
                                  created: "2026-12-01T00:00:00+09:00")
        try db.connection.query("INSERT INTO approach_exclusion (approach_id, engineer_id) VALUES ($1, 6)", [daily])

        let rehearsal = try runToEnd("approach-delivery", ["--dry-run", "--now", "2026-12-07T09:05:00+09:00"], environment: environment)
        XCTAssertEqual(rehearsal.status, 0, rehearsal.stderr)
        XCTAssertTrue(rehearsal.stdout.contains("approach \(daily)\tSwift案件\tperiod 2026-12-07T09:00:00+09:00\t2 engineer(s)\tnext 2026-12-08T09:00:00+09:00"),
                      rehearsal.stdout)
        XCTAssertEqual(try periods(daily), [], "a dry run records nothing")

        let run = try deliver("2026-12-07T09:05:00+09:00")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout + run.stderr, "")
        let mails = try sink.messages().sorted { $0.rcpt_tos[0] < $1.rcpt_tos[0] }
        XCTAssertEqual(mails.map(\.rcpt_tos), [["e1@engineer.example"], ["e5@engineer.example"]])
        XCTAssertEqual(mails.first?.subject, "株式会社アプローチより: Swift案件")
        XCTAssertTrue(mails.first?.text?.hasPrefix("エンジニア1 様") ?? false, mails.first?.text ?? "")
        let delivery = try db.connection.query("SELECT engineers::text AS e, period_at FROM approach_delivery WHERE approach_id = $1", [daily]).first!
        XCTAssertEqual(try delivery.string("e"), "{1,5}")
        XCTAssertEqual(try next(daily), at("2026-12-08T09:00:00+09:00"))
        XCTAssertEqual(try db.connection.query("SELECT engineers::text AS e FROM approach_delivery WHERE approach_id = $1", [nobody]).first!.string("e"),
                       "{}", "nothing matching: recorded, no mail")
        XCTAssertEqual(try next(nobody), at("2026-12-08T09:00:00+09:00"), "and the next time still advances")

        // Reruns in the same period send nothing more.
        XCTAssertEqual(try deliver("2026-12-07T09:05:00+09:00").status, 0)
        XCTAssertEqual(try deliver("2026-12-07T09:20:00+09:00").status, 0)
        XCTAssertEqual(try sink.messages().count, 2)

        // Moved from daily to monthly on the 15th: the engineers it went to since the previous
        // scheduled time (15 November) are not approached again on 15 December; a new one is.
        try engineer(9, "waiting", "{swift,postgres}", years: 4)
        try db.connection.query("UPDATE approach SET cadence = 'monthly', month_day = 15, next_delivery_at = NULL, created_at = '2026-12-08T00:00:00+09:00' WHERE id = $1", [daily])
        XCTAssertEqual(try deliver("2026-12-15T09:00:00+09:00").status, 0)
        XCTAssertEqual(try db.connection.query("SELECT engineers::text AS e FROM approach_delivery WHERE approach_id = $1 ORDER BY period_at DESC", [daily])
                        .first!.string("e"), "{9}")
        XCTAssertEqual(try next(daily), at("2027-01-15T09:00:00+09:00"))
    }

    func testSchedulesAcrossAMonthEndADSTChangeAndAWeekOfMissedRuns() throws {
        try engineer(1, "waiting", "{}", years: 1)
        // Monthly on the 31st: February's is its last day.
        let monthly = try approach("月末", schedule: "('monthly', NULL::int, 31, time '10:00', 'Asia/Tokyo')", created: "2027-01-15T00:00:00+09:00")
        XCTAssertEqual(try deliver("2027-01-31T10:00:00+09:00").status, 0)
        XCTAssertEqual(try next(monthly), at("2027-02-28T10:00:00+09:00"))
        XCTAssertEqual(try deliver("2027-02-28T10:05:00+09:00").status, 0)
        XCTAssertEqual(try periods(monthly), [at("2027-01-31T10:00:00+09:00"), at("2027-02-28T10:00:00+09:00")])
        XCTAssertEqual(try next(monthly), at("2027-03-31T10:00:00+09:00"))
        try db.connection.execute(script: "UPDATE approach SET active = false")

        // Weekly on Sundays at 09:00 in New York: summer time ends on 1 November 2026, so 09:00 is
        // 13:00 UTC on 25 October and 14:00 UTC on 1 November (not 7 × 24 hours later).
        let weekly = try approach("NY weekly", schedule: "('weekly', 0, NULL::int, time '09:00', 'America/New_York')", created: "2026-10-20T00:00:00Z")
        XCTAssertEqual(try deliver("2026-10-25T13:00:00Z").status, 0)
        XCTAssertEqual(try next(weekly), at("2026-11-01T14:00:00Z"))
        XCTAssertEqual(try deliver("2026-11-01T13:30:00Z").status, 0)
        XCTAssertEqual(try periods(weekly).count, 1, "08:30 in New York: not due yet")
        XCTAssertEqual(try deliver("2026-11-01T14:00:00Z").status, 0)
        XCTAssertEqual(try periods(weekly), [at("2026-10-25T13:00:00Z"), at("2026-11-01T14:00:00Z")])
        XCTAssertEqual(try next(weekly), at("2026-11-08T14:00:00Z"))
        try db.connection.execute(script: "UPDATE approach SET active = false")

        // Daily at 02:30 in New York across the spring-forward night (14 March 2027, 02:00 → 03:00):
        // 02:30 does not exist that night and is read as 03:30 summer time.
        let early = try approach("NY early", schedule: "('daily', NULL::int, NULL::int, time '02:30', 'America/New_York')", created: "2027-03-12T12:00:00Z")
        XCTAssertEqual(try deliver("2027-03-13T07:30:00Z").status, 0)
        XCTAssertEqual(try next(early), at("2027-03-14T07:30:00Z"))
        XCTAssertEqual(try deliver("2027-03-14T07:30:00Z").status, 0)
        XCTAssertEqual(try next(early), at("2027-03-15T06:30:00Z"))
        try db.connection.execute(script: "UPDATE approach SET active = false")

        // Daily at 09:00 in Tokyo, last delivered on 1 December, then no run until 8 December 09:20:
        // one delivery (the 8th's), not seven, and the next is the 9th's.
        let daily = try approach("毎日", schedule: "('daily', NULL::int, NULL::int, time '09:00', 'Asia/Tokyo')", created: "2026-11-30T00:00:00+09:00")
        XCTAssertEqual(try deliver("2026-12-01T09:00:00+09:00").status, 0)
        let before = try sink.messages().count
        XCTAssertEqual(try deliver("2026-12-08T09:20:00+09:00").status, 0)
        XCTAssertEqual(try periods(daily), [at("2026-12-01T09:00:00+09:00"), at("2026-12-08T09:00:00+09:00")])
        XCTAssertEqual(try next(daily), at("2026-12-09T09:00:00+09:00"))
        XCTAssertEqual(try sink.messages().count, before + 1)
    }

    func testAKilledRunsLettersGoOnTheNextRunEachOnce() throws {
        try db.connection.execute(script: """
            INSERT INTO engineer (id, company_id, name, placement, email)
            SELECT i, 1, 'エンジニア' || i, 'waiting', 'e' || i || '@engineer.example' FROM generate_series(1, 150) i;
            """)
        let id = try approach("大量", schedule: "('daily', NULL::int, NULL::int, time '09:00', 'Asia/Tokyo')", created: "2026-12-01T00:00:00+09:00")
        try runUntilKilled("approach-delivery", ["--now", "2026-12-07T09:00:00+09:00"], environment: environment) {
            try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE status = 'sent'").first!.int("n") >= 20
        }
        XCTAssertLessThan(try sink.messages().count, 150, "killed before the last letter")
        let rerun = try deliver("2026-12-07T09:10:00+09:00")
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try periods(id).count, 1)
        var perID: [String: Int] = [:]
        for message in try sink.messages() { perID[message.message_id, default: 0] += 1 }
        XCTAssertEqual(perID.count, 150)
        XCTAssertLessThanOrEqual(perID.values.filter { $0 > 1 }.count, 1, "at most the one in flight at the kill (RFC 1047)")
    }

    /// Started twice at once: the second is `skipped`; one delivery, each letter once. Then SIGTERM
    /// while a delivery is recorded and SIGINT while its letters are posted: each unit finishes, no
    /// letter is started, the runs are `interrupted`; the next run mails them.
    func testTwoStartsAtOnceAndStopSignals() throws {
        try engineer(1, "waiting", "{}", years: 1)
        try engineer(2, "waiting", "{}", years: 1)
        let first = try approach("一つ目", schedule: "('daily', NULL::int, NULL::int, time '09:00', 'Asia/Tokyo')", created: "2026-12-01T00:00:00+09:00")
        let (a, b) = try runTwiceAtOnce("approach-delivery", ["--now", "2026-12-07T09:00:00+09:00"], environment: environment,
                                        holding: "approach_delivery", in: db)
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try db.runStatuses(job: "approach-delivery"), ["succeeded", "skipped"])
        XCTAssertEqual(try periods(first).count, 1)
        XCTAssertEqual(try sink.messages().count, 2)

        let second = try approach("二つ目", schedule: "('daily', NULL::int, NULL::int, time '10:00', 'Asia/Tokyo')", created: "2026-12-01T00:00:00+09:00")
        // SIGTERM while the delivery is recorded; SIGINT while its letters are posted to the outbox.
        for (signal, code, table) in [(SIGTERM, Int32(143), "approach_delivery"), (SIGINT, Int32(130), "mail_outbox")] {
            let stopped = try runStopped("approach-delivery", ["--now", "2026-12-07T10:00:00+09:00"], environment: environment, signal: signal,
                                         holding: table, in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
        }
        XCTAssertEqual(try periods(second).count, 1, "the delivery being recorded was recorded")
        XCTAssertEqual(try sink.messages().count, 2, "no letter started after the signal")
        XCTAssertEqual(try deliver("2026-12-07T10:05:00+09:00").status, 0)
        XCTAssertEqual(try sink.messages().count, 4)
        XCTAssertEqual(try db.runStatuses(job: "approach-delivery"), ["succeeded", "skipped", "interrupted", "interrupted", "succeeded"])
    }
}
