import Foundation
import NightshiftCore
import Postgres
import TestSupport
import WorkingRates
import XCTest

final class SummaryTests: RateCalcTestCase {
    /// 14 days (Oct 1–14), 20:00–21:00 (2 slots). A is on shift in both slots, busy at 20:00 from
    /// Oct 8 on; B is on shift at 20:30 only and always busy.
    func twoWeeks() async throws -> Int {
        let b = try addBusiness("summary", open: "20:00", close: "21:00")
        let a = try addCast(b, "A"), bb = try addCast(b, "B")
        for day in 1...14 {
            let d = String(format: "2026-10-%02d", day)
            try sample(b, "\(d) 20:00+09", [a: day >= 8 ? "busy" : "available", bb: "off"])
            try sample(b, "\(d) 20:30+09", [a: "available", bb: "busy"])
        }
        let status = try await calc(now: "2026-10-15T12:00+09:00")
        XCTAssertEqual(status, .succeeded)
        return b
    }

    func report(_ business: Int, days: Int) throws -> SummaryReport {
        try XCTUnwrap(SummaryReport.build(db.connection, businessID: business, days: days,
                                          now: TimestampArgument.parse("2026-10-15T12:00+09:00", timeZone: .current)!))
    }

    func testSevenDays() async throws {
        let b = try await twoWeeks()
        let r = try report(b, days: 7)
        // Oct 8–14: cast-days on shift A (2/2, busy 1/2) ×7, B (1/2, busy 1/1) ×7.
        XCTAssertEqual(r.current, .init(from: "2026-10-08", to: "2026-10-14", attendanceRate: Decimal(string: "0.75"),
                                        workingRate: Decimal(string: "0.75"), daysCovered: 7, meanCoverage: 1))
        // Oct 1–7: A never busy → working (0×7 + 1×7)/14 = 0.5.
        XCTAssertEqual(r.previous, .init(from: "2026-10-01", to: "2026-10-07", attendanceRate: Decimal(string: "0.75"),
                                         workingRate: Decimal(string: "0.5"), daysCovered: 7, meanCoverage: 1))
        XCTAssertEqual(r.topCasts.map(\.name), ["B", "A"])
        XCTAssertEqual(r.topCasts.map(\.workingRate), [1, Decimal(string: "0.5")!])
        XCTAssertEqual(r.topCasts.map(\.busySamples), [7, 7])
        XCTAssertEqual(r.topCasts.map(\.onShiftSamples), [7, 14])
        let json = try JSONSerialization.jsonObject(with: Data(r.render(.json).utf8)) as! [String: Any]
        XCTAssertEqual((json["change"] as! [String: Any])["working_rate"] as? Double, 0.25)
        XCTAssertTrue(r.render(.text).contains("+25.0 pt"), r.render(.text))
        let csv = r.render(.csv).split(separator: "\n")
        XCTAssertEqual(csv[2], "working_rate,0.75,0.5,0.25")
        XCTAssertEqual(csv.last, "2,\(r.topCasts[1].castID),\"A\",7,14,7,0.5")
    }

    func testThirtyDays() async throws {
        let b = try await twoWeeks()
        let r = try report(b, days: 30)
        // Sep 15–Oct 14 holds the 14 days: working (A: 0×7 + 0.5×7, B: 1×14)/28 = 0.625.
        XCTAssertEqual(r.current.from, "2026-09-15")
        XCTAssertEqual(r.current.attendanceRate, Decimal(string: "0.75"))
        XCTAssertEqual(r.current.workingRate, Decimal(string: "0.625"))
        XCTAssertEqual(r.current.daysCovered, 14)
        XCTAssertEqual(r.previous.workingRate, nil)
        XCTAssertEqual(r.previous.daysCovered, 0)
        XCTAssertEqual(r.topCasts.first?.workingRate, 1)
        XCTAssertEqual(r.topCasts.last?.workingRate, Decimal(string: "0.25"))
    }

    func testNoDataSaysSoAndExitsZero() throws {
        let b = try addBusiness("empty", open: "20:00", close: "21:00")
        XCTAssertNil(try SummaryReport.build(db.connection, businessID: b, days: 7, now: Date()))
        let result = try runToEnd("rate-calc", ["summary", "--business-id", "\(b)"], environment: environment)
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("no computed days"), result.stdout)
    }

    func testOneInconsistentBusinessFailsAloneAndIsDeadLettered() async throws {
        let good = try addBusiness("good", open: "20:00", close: "21:00")
        let g = try addCast(good, "g")
        try sample(good, "2026-10-01 20:00+09", [g: "busy"])
        let broken = try addBusiness("broken", open: "20:00", close: "21:00")
        let x = try addCast(broken, "x")
        try sample(broken, "2026-10-01 20:00+09", [x: "busy"])
        // Statuses stored in a slot whose collection is marked failed: more on-shift samples than samples.
        try sample(broken, "2026-10-01 20:30+09", ok: false, [x: "busy"])
        let status = try await calc(now: "2026-10-02T12:00+09:00")
        XCTAssertEqual(status, .partial)
        XCTAssertEqual(try days(good), ["2026-10-01"])
        XCTAssertEqual(try days(broken), [])
        XCTAssertEqual(try db.connection.query("SELECT item_key FROM batch_failures WHERE resolved_at IS NULL").rows.map { try $0.string("item_key") },
                       ["business:\(broken):2026-10-01"])
    }

    func testADayComputedLaterDoesNotCloseAnEarlierDaysFailure() async throws {
        let b = try addBusiness("mixed", open: "20:00", close: "21:00")
        let x = try addCast(b, "x")
        try sample(b, "2026-10-01 20:00+09", [x: "busy"])
        try sample(b, "2026-10-01 20:30+09", ok: false, [x: "busy"])  // inconsistent: the 1st cannot be computed
        try sample(b, "2026-10-02 20:00+09", [x: "busy"])
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (900, 'rate-calc', 'h', 1, 'partial');
            INSERT INTO batch_failures (run_id, job, item_key, error) VALUES (900, 'rate-calc', 'business:\(b)', 'from before 0005')
            """)
        let explicit = try await calc(["--date", "2026-10-02"], now: "2026-10-03T12:00+09:00")
        XCTAssertEqual(explicit, .succeeded)
        func open() throws -> [String] {
            try db.connection.query("SELECT item_key FROM batch_failures WHERE resolved_at IS NULL ORDER BY item_key").rows.map { try $0.string("item_key") }
        }
        XCTAssertEqual(try open(), ["business:\(b)"], "an explicit date says nothing about the other days")
        let pending = try await calc(now: "2026-10-03T12:00+09:00")
        XCTAssertEqual(pending, .failed)
        XCTAssertEqual(try open(), ["business:\(b)", "business:\(b):2026-10-01"])
        try db.connection.execute(script: "DELETE FROM status WHERE slot = '2026-10-01 20:30+09'")
        let fixed = try await calc(now: "2026-10-03T12:00+09:00")
        XCTAssertEqual(fixed, .succeeded)
        XCTAssertEqual(try open(), [], "the day, and the business's key from before 0005, are resolved")
    }

    func testTheTextSummaryHasHeadersAlignsJapaneseNamesAndCountsDays() async throws {
        let b = try addBusiness("text", open: "20:00", close: "21:00")
        let a = try addCast(b, "a"), c = try addCast(b, "c")
        try db.connection.execute(script: "UPDATE \"cast\" SET name = CASE site_cast_id WHEN 'a' THEN 'あいり' ELSE 'Bea' END")
        try sample(b, "2026-10-01 20:00+09", [a: "busy", c: "available"])
        try sample(b, "2026-10-02 20:00+09", [c: "busy"])
        let status = try await calc(now: "2026-10-03T12:00+09:00")
        XCTAssertEqual(status, .succeeded)
        let result = try runToEnd("rate-calc", ["summary", "--business-id", "\(b)", "--days", "2", "--now", "2026-10-03T12:00+09:00"],
                                  environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("  #  cast    working rate  busy / on shift  on shift"), result.stdout)
        XCTAssertTrue(lines.contains("  1  あいり        100.0%    1 / 1 samples     1 day"), result.stdout)
        XCTAssertTrue(lines.contains("  2  Bea            50.0%    1 / 2 samples    2 days"), result.stdout)
    }

    func testASummaryOfABusinessThatDoesNotExistIsAUsageError() throws {
        let b = try addBusiness("only", open: "20:00", close: "21:00")
        let result = try runToEnd("rate-calc", ["summary", "--business-id", "99"], environment: environment)
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "rate-calc summary: usage error: --business-id 99: no such business (known: \(b))\n")
    }
}
