import CSV
import Documents
import Foundation
@testable import MonthlyReports
import NightshiftCore
import TestSupport
import XCTest

/// The business working-rate report from samples through the real `rate-calc`, counted by hand.
///
/// 夜の店 (Tokyo, 22:00–02:00, eight slots a night). Thursday 1 October: all eight collected;
/// Friday 2 October: six, then 01:00 failed (HTTP 503) and 01:30 never ran. Saturday 5
/// September is the month before. Statuses per slot: B busy, A available, O off (listed, not on
/// shift).
///
///            Sep 5      Oct 1      Oct 2
///   あい     AAAAAAAA   BBAAAAAA   BBBBBB
///   みき     OOOOOOOO   OOOOOOOO   AAAAAA
///   さくら   —          OOOOAABB   BOOOOO     new in October
///   れな     BBBBOOOO   —          —          last seen 5 September: vanished (30 days by the 31st)
///   ゆい     OOOOOOOO   BBBBBBBB   AAOOOO
///
/// October: samples 8×4 + 6×4 = 56, on shift 20 + 15 = 35, busy 12 + 7 = 19: attendance 35/56 =
/// 62.5 %, working 19/35 = 54.3 %. September: 32, 12, 4: 37.5 % and 33.3 %.
///
/// Night Club (New York, 22:00–02:00): Saturday 31 October's night is 25 hours long — 01:00 and
/// 01:30 happen twice (EDT, then EST), ten slots. Ann: AAAAAABABA.
final class BusinessReportTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'status-collect', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO business (id, name, site, listing_url, time_zone, open_time, close_time, report_email) VALUES
              (1, '夜の店', 'dto', 'http://x/1', 'Asia/Tokyo', '22:00', '02:00', 'owner@yoru.example'),
              (2, 'Night Club', 'dto', 'http://x/2', 'America/New_York', '22:00', '02:00', NULL);
            INSERT INTO "cast" (id, business_id, site_cast_id, name, first_seen_at, last_seen_at) VALUES
              (1, 1, 'a', 'あい', now(), now()), (2, 1, 'b', 'みき', now(), now()), (3, 1, 'c', 'さくら', now(), now()),
              (4, 1, 'd', 'れな', now(), now()), (5, 1, 'e', 'ゆい', now(), now()), (6, 2, 'f', 'Ann', now(), now());
            SELECT setval('business_id_seq', 2);
            """)
        let tokyo = ["22:00", "22:30", "23:00", "23:30", "00:00", "00:30", "01:00", "01:30"]
        func night(_ day: String, _ next: String) -> [String] {
            tokyo.enumerated().map { index, time in "\(index < 4 ? day : next) \(time)+09" }
        }
        try collect(1, night("2026-09-05", "2026-09-06"), [1: "AAAAAAAA", 2: "OOOOOOOO", 4: "BBBBOOOO", 5: "OOOOOOOO"])
        try collect(1, night("2026-10-01", "2026-10-02"), [1: "BBAAAAAA", 2: "OOOOOOOO", 3: "OOOOAABB", 5: "BBBBBBBB"])
        let friday = night("2026-10-02", "2026-10-03")
        try collect(1, Array(friday.prefix(6)), [1: "BBBBBB", 2: "AAAAAA", 3: "BOOOOO", 5: "AAOOOO"])
        try db.connection.query("""
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, http_status, error)
            VALUES (1, 1, $1::timestamptz, $1::timestamptz, false, 503, 'HTTP 503 from the listing')
            """, [friday[6]])
        let newYork = (0..<10).map { "2026-11-01 \(String(format: "%02d:%02d", 2 + $0 / 2, $0 % 2 * 30))+00" }
        try collect(2, newYork, [6: "AAAAAABABA"])
        for (business, days) in [(1, ["--date", "2026-09-05"]), (1, ["--from", "2026-10-01", "--to", "2026-10-02"]),
                                 (2, ["--date", "2026-10-31"])] {
            let calc = try runToEnd("rate-calc", days + ["--business-id", "\(business)", "--now", "2026-11-02T06:00"], environment: environment)
            XCTAssertEqual(calc.status, 0, calc.stderr)
        }
    }

    var environment: [String: String] { ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output"] }

    /// Successful collections at `slots`, each cast's status at each slot one letter of its string.
    func collect(_ business: Int, _ slots: [String], _ casts: [Int: String]) throws {
        let codes: [Character: String] = ["B": "busy", "A": "available", "O": "off"]
        for (index, slot) in slots.enumerated() {
            try db.connection.query("""
                INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen)
                VALUES ($1, 1, $2::timestamptz, $2::timestamptz, true, $3)
                """, [business, slot, casts.count])
            for (cast, letters) in casts {
                let status = codes[Array(letters)[index]]!
                try db.connection.query("INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES ($1, $2, $3::timestamptz, $4, $4)",
                                        [cast, business, slot, status])
            }
        }
    }

    func report(_ arguments: [String], smtp: String? = nil) throws -> ProcessResult {
        var environment = environment
        if let smtp { environment.merge(["SMTP_URL": smtp, "SMTP_STARTTLS": "off", "SMTP_FROM": "reports@nightshift.example"]) { $1 } }
        return try runToEnd("monthly-report", ["--kind", "business"] + arguments + ["--now", "2026-11-02T07:00"], environment: environment)
    }

    func stored(_ business: Int) throws -> BusinessReport {
        let row = try XCTUnwrap(try db.connection.query("""
            SELECT figures::text AS figures FROM report WHERE kind = 'business' AND subject_id = $1 AND month = '2026-10-01'
            """, [business]).first)
        return try JSONDecoder().decode(BusinessReport.self, from: Data(try row.string("figures").utf8))
    }

    func testTheFiguresOfAnOvernightBusinessCountedByHand() throws {
        let run = try report([])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout + run.stderr, "", "quiet on success")
        let report = try stored(1)
        let october = try XCTUnwrap(report.rates.current), september = try XCTUnwrap(report.rates.previous)
        XCTAssertEqual([october.days, october.expectedSlots, october.okSlots, october.peakOnShift], [2, 16, 14, 4])
        XCTAssertEqual([october.samples, october.onShiftSamples, october.busySamples], [56, 35, 19])
        XCTAssertEqual([september.samples, september.onShiftSamples, september.busySamples], [32, 12, 4])
        XCTAssertNil(report.rates.yearAgo)
        XCTAssertEqual(report.headline, "54.3%")
        let attendance = report.rateLines[0], working = report.rateLines[1]
        XCTAssertEqual([attendance.shownCurrent, attendance.shownPrevious, attendance.changeFromPrevious, attendance.shownYearAgo,
                        attendance.changeFromYearAgo], ["62.5%", "37.5%", "+25.0pt", "—", "—"])
        XCTAssertEqual([working.shownCurrent, working.shownPrevious, working.changeFromPrevious], ["54.3%", "33.3%", "+21.0pt"])

        // Thursday (4) and Friday (5); 00:00–01:59 under the weekday the night began.
        let cells = report.cells.map { "\($0.weekday) \($0.hour): \($0.samples)/\($0.onShift)/\($0.busy)" }
        XCTAssertEqual(Set(cells), ["4 22: 8/4/4", "4 23: 8/4/2", "4 0: 8/6/2", "4 1: 8/6/4",
                                    "5 22: 8/7/3", "5 23: 8/4/2", "5 0: 8/4/2"])
        XCTAssertEqual(report.hoursInOrder, [22, 23, 0, 1])
        XCTAssertEqual(report.slots.map { "\($0.time) \($0.collections) \($0.meanOnShift)" },
                       ["22:00 2 3.0", "22:30 2 2.5", "23:00 2 2.0", "23:30 2 2.0", "00:00 2 2.5", "00:30 2 2.5", "01:00 1 3.0", "01:30 1 3.0"],
                       "in the order of the night; 01:00 and 01:30 collected on Thursday only")

        XCTAssertEqual(report.topCasts.map { "\($0.name) \($0.onShift)/\($0.busy)" }, ["ゆい 10/8", "あい 14/8"],
                       "80 % before 57 %; みき (6) and さくら (5) have under 10 on-shift samples")
        XCTAssertEqual(report.newCasts, [.init(name: "さくら", day: "2026-10-01")])
        XCTAssertEqual(report.vanishedCasts, [.init(name: "れな", day: "2026-09-05")])
        XCTAssertEqual(report.collectionDays.map { "\($0.day) \($0.expectedSlots) \($0.okSlots) \($0.failed) \($0.isLow)" },
                       ["2026-10-01 8 8 0 false", "2026-10-02 8 6 1 true"])
        XCTAssertEqual(report.failedCollections, [.init(day: "2026-10-02", slot: "10-03 01:00", httpStatus: 503,
                                                        error: "HTTP 503 from the listing")])
        try checkFiles()
    }

    func testA25HourNightOfANewYorkBusinessIsOneBusinessDay() throws {
        XCTAssertEqual(try report(["--business-id", "2"]).status, 0)
        let report = try stored(2)
        let october = try XCTUnwrap(report.rates.current)
        XCTAssertEqual([october.days, october.expectedSlots, october.samples, october.onShiftSamples, october.busySamples], [1, 10, 10, 10, 2])
        XCTAssertEqual(report.headline, "20.0%")
        XCTAssertNil(report.rates.previous, "no September: the change is a dash")
        XCTAssertEqual(report.rateLines[1].changeFromPrevious, "—")
        XCTAssertEqual(report.cells.first { $0.hour == 1 }, .init(weekday: 6, hour: 1, samples: 4, onShift: 4, busy: 2),
                       "01:00–01:59 happened twice, both on Saturday's night")
        XCTAssertEqual(report.slots.first { $0.time == "01:00" }, .init(time: "01:00", collections: 2, onShift: 2))
        XCTAssertEqual(report.slots.count, 8, "ten slots at eight local times")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM report").first!.int("n"), 1, "--business-id 2 only")
    }

    func testMissingRateDaysAreAnItemFailureUntilRateCalcHasRun() throws {
        try db.connection.execute(script: """
            DELETE FROM status_history WHERE business_id = 1 AND business_day = '2026-10-02';
            DELETE FROM business_daily WHERE business_id = 1 AND business_day = '2026-10-02';
            """)
        let incomplete = try report([])
        XCTAssertEqual(incomplete.status, 1, "one of the two businesses failed")
        XCTAssertTrue(incomplete.stderr.contains("no data for 2026-10-02; run rate-calc --business-id 1 --from 2026-10-02 --to 2026-10-02"),
                      incomplete.stderr)
        XCTAssertEqual(Array(try db.openFailures(job: "monthly-report").keys), ["report:business:1:2026-10"])
        XCTAssertEqual(try db.connection.query("SELECT subject_id FROM report").rows.map { try $0.int("subject_id") }, [2])

        let calc = try runToEnd("rate-calc", ["--business-id", "1", "--date", "2026-10-02", "--now", "2026-11-02T06:00"], environment: environment)
        XCTAssertEqual(calc.status, 0, calc.stderr)
        XCTAssertEqual(try report([]).status, 0)
        XCTAssertEqual(try stored(1).rates.current?.samples, 56)
        XCTAssertEqual(try db.openFailures(job: "monthly-report"), [:])
    }

    /// To the report address when one is set, once; a business without one is filed only.
    func testMailedOnceToTheReportAddress() throws {
        let sink = try SMTPSink()
        XCTAssertEqual(try report(["--send"], smtp: sink.url).status, 0)
        XCTAssertEqual(try report(["--send"], smtp: sink.url).status, 0)
        let messages = try sink.messages()
        XCTAssertEqual(messages.map(\.rcpt_tos), [["owner@yoru.example"]])
        XCTAssertEqual(messages.first?.subject, "【月次稼働レポート】2026年10月分(夜の店 様)")
        XCTAssertEqual(messages.first?.attachments.map(\.filename), ["月次稼働レポート_2026-10.pdf", "月次稼働レポート_2026-10.csv"])
        XCTAssertEqual(messages.first?.message_id, "<report.business.1.2026-10@nightshift.example>")
        func sent() throws -> [String] {
            try db.connection.query("""
                SELECT r.subject_id FROM report r JOIN mail_outbox o ON o.about = 'report:business:' || r.subject_id || ':2026-10'
                 WHERE r.sent_at = o.sent_at ORDER BY r.subject_id
                """).rows.map { String(try $0.int("subject_id")) }
        }
        XCTAssertEqual(try sent(), ["1"], "the report row records when its mail went")

        try db.connection.execute(script: "UPDATE business SET report_email = 'club@ny.example' WHERE id = 2")
        XCTAssertEqual(try report(["--send"], smtp: sink.url).status, 0)
        XCTAssertEqual(try sink.messages().flatMap(\.rcpt_tos), ["owner@yoru.example", "club@ny.example"], "set later, sent on the next run")
        XCTAssertEqual(try sent(), ["1", "2"])
    }

    /// Three pages saying who and how much, charts that are drawn, and a CSV equal to the figures.
    func checkFiles() throws {
        let directory = root + "/output/reports/2026-10/business"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["1.csv", "1.pdf", "2.csv", "2.pdf"])
        let read = try PDFText.read(directory + "/1.pdf")
        XCTAssertEqual(read.pageCount, 3)
        for expected in ["月次稼働レポート", "夜の店 様", "54.3%", "62.5%", "+25.0pt", "出勤率 = 出勤中", "分母 56 件",
                         "曜日×時間帯の稼働率", "1. ゆい", "80.0%", "さくら", "れな", "9月5日(土)", "10-03 01:00", "503"] {
            XCTAssertTrue(read.text.contains(expected), "\(expected) in \(read.text)")
        }
        let page = try GrayPage(pdf: directory + "/1.pdf", page: 2, in: root)
        // The weekday × hour map of working shares: Thursday's and Friday's cells are coloured.
        XCTAssertGreaterThan(page.darkShare(x: 60, y: 58, width: 440, height: 150, below: 0.9), 0.05, "the heatmap is drawn")
        XCTAssertEqual(page.darkShare(x: 0, y: 800, width: 595, height: 40, below: 0.99), 0, "nothing runs off the page")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/1.csv"))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        let reader = try CSVReader(string: String(decoding: bytes.dropFirst(3), as: UTF8.self))
        var rows: [[String]] = []
        while let next = reader.next() { rows.append(next) }
        XCTAssertEqual(rows[0], ["月次稼働レポート", "夜の店", "2026-10"])
        XCTAssertEqual(rows[3], ["出勤率", "62.50", "37.50", "+25.0pt", "", "—"])
        XCTAssertEqual(rows[4], ["稼働率", "54.29", "33.33", "+21.0pt", "", "—"])
        XCTAssertEqual(rows.first { $0.first == "サンプル数(掲載キャスト×収集回)" }?[1], "56")
        XCTAssertEqual(rows.first { $0.first == "2" }, ["2", "24", "15", "7", "8", "6", "1"])
        XCTAssertEqual(rows.first { $0.first == "木" && $0[1] == "1" }, ["木", "1", "8", "6", "4"])
        XCTAssertEqual(rows.first { $0.first == "01:00" }, ["01:00", "1", "3", "3.00"])
        XCTAssertEqual(rows.first { $0.first == "1" && $0.count == 5 }, ["1", "ゆい", "10", "8", "80.00"])
        XCTAssertEqual(rows.first { $0.first == "10-03 01:00" }, ["10-03 01:00", "2026-10-02", "503", "HTTP 503 from the listing"])
    }
}
