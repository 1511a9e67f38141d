import Foundation
import NightshiftCore
import Postgres
import TestSupport
import WorkingRates
import XCTest

final class RateCalcTests: RateCalcTestCase {
    /// 10:00–14:00 Tokyo: 8 expected slots. 11:00 failed; 09:30 and 14:00 are buffer samples (ignored).
    func normalDay() throws -> (business: Int, c1: Int, c2: Int, c3: Int) {
        let b = try addBusiness("day", open: "10:00", close: "14:00")
        let c1 = try addCast(b, "c1"), c2 = try addCast(b, "c2"), c3 = try addCast(b, "c3")
        let t = { (hm: String) in "2026-11-20 \(hm)+09" }
        try sample(b, t("09:30"), [c1: "busy", c3: "busy"])
        try sample(b, t("10:00"), [c1: "available", c3: "off"])
        try sample(b, t("10:30"), [c1: "busy", c3: "off"])
        try sample(b, t("11:00"), ok: false)
        try sample(b, t("11:30"), [c1: "busy", c3: "off"])
        try sample(b, t("12:00"), [c1: "available", c2: "scheduled", c3: "off"])
        try sample(b, t("12:30"), [c1: "busy", c2: "available", c3: "off"])
        try sample(b, t("13:00"), [c1: "off", c2: "available", c3: "off"])
        try sample(b, t("13:30"), [c1: "finished", c2: "busy", c3: "off"])
        try sample(b, t("14:00"), [c1: "busy", c2: "busy", c3: "busy"])
        return (b, c1, c2, c3)
    }

    func testNormalDayHandComputed() async throws {
        let (b, c1, c2, c3) = try normalDay()
        let status = try await calc(now: "2026-11-21T00:00+09:00")
        XCTAssertEqual(status, .succeeded)
        // c1: on shift at 10:00 10:30 11:30 12:00 12:30 (5 of 7), busy 3 → 5/7, 3/5.
        XCTAssertEqual(try history(c1, "2026-11-20"), History(samples: 7, onShift: 5, busy: 3, attendance: "0.714286",
                                                               working: "0.600000", first: "10:00", last: "12:30"))
        // c2 appears mid-day: on shift 12:30 13:00 13:30, busy once → 3/7, 1/3.
        XCTAssertEqual(try history(c2, "2026-11-20"), History(samples: 7, onShift: 3, busy: 1, attendance: "0.428571",
                                                               working: "0.333333", first: "12:30", last: "13:30"))
        // c3 is never on shift inside the window (its busy samples are in the buffers): working rate NULL.
        XCTAssertEqual(try history(c3, "2026-11-20"), History(samples: 7, onShift: 0, busy: 0, attendance: "0.000000",
                                                               working: nil, first: nil, last: nil))
        // Averages over the two casts on shift: (5/7 + 3/7)/2 = 4/7; (3/5 + 1/3)/2 = 7/15. Peak 2 at 12:30.
        XCTAssertEqual(try daily(b, "2026-11-20"), Daily(expected: 8, ok: 7, coverage: "0.875000", seen: 3, onShift: 2,
                                                         attendance: "0.571429", working: "0.466667", peak: 2))
    }

    func testOvernightDayCrossesMidnightAndExcludesTheClosingSlot() async throws {
        let b = try addBusiness("night", open: "18:00", close: "05:00")
        let d1 = try addCast(b, "d1")
        try sample(b, "2026-11-20 17:30+09", [d1: "busy"])       // buffer
        try sample(b, "2026-11-20 23:30+09", [d1: "busy"])
        try sample(b, "2026-11-21 01:00+09", [d1: "available"])  // after midnight: still the 20th's day
        try sample(b, "2026-11-21 04:30+09", [d1: "off"])
        try sample(b, "2026-11-21 05:00+09", [d1: "busy"])       // at closing: outside the window
        let status = try await calc(now: "2026-11-21T06:00+09:00")
        XCTAssertEqual(status, .succeeded)
        XCTAssertEqual(try history(d1, "2026-11-20"), History(samples: 3, onShift: 2, busy: 1, attendance: "0.666667",
                                                               working: "0.500000", first: "23:30", last: "01:00"))
        // 18:00–05:00 is 22 slots; 3 succeeded.
        XCTAssertEqual(try daily(b, "2026-11-20")?.expected, 22)
        XCTAssertEqual(try daily(b, "2026-11-20")?.coverage, "0.136364")
        XCTAssertNil(try history(d1, "2026-11-21"))
    }

    func testDSTDaysHave46And50Slots() async throws {
        let b = try addBusiness("ny", open: "00:00", close: "00:00", zone: "America/New_York")
        let c = try addCast(b, "n1")
        // 03:30 EDT on the spring-forward day is 07:30 UTC.
        try sample(b, "2026-03-08 07:30+00", [c: "busy"])
        try sample(b, "2026-11-01 05:30+00", [c: "available"])  // 01:30 EDT, the first of the two 01:30s
        try sample(b, "2026-11-01 06:30+00", [c: "busy"])       // 01:30 EST, the second
        let status = try await calc(["--from", "2026-03-07", "--to", "2026-03-09"], now: "2026-03-10T12:00Z")
        XCTAssertEqual(status, .succeeded)
        XCTAssertEqual(try daily(b, "2026-03-07")?.expected, 48)
        XCTAssertEqual(try daily(b, "2026-03-08")?.expected, 46)
        XCTAssertEqual(try daily(b, "2026-03-08")?.ok, 1)
        let fall = try await calc(["--date", "2026-11-01"], now: "2026-11-03T12:00Z")
        XCTAssertEqual(fall, .succeeded)
        XCTAssertEqual(try daily(b, "2026-11-01"), Daily(expected: 50, ok: 2, coverage: "0.040000", seen: 1, onShift: 1,
                                                         attendance: "1.000000", working: "0.500000", peak: 1))
    }

    func testNotReadyUntilTheWindowClosedPlusTheBuffer() async throws {
        let (b, _, _, _) = try normalDay()
        let early = try await calc(now: "2026-11-20T14:59+09:00")
        XCTAssertEqual(early, .succeeded)
        XCTAssertEqual(try days(b), [])
        let ready = try await calc(now: "2026-11-20T15:00+09:00")
        XCTAssertEqual(ready, .succeeded)
        XCTAssertEqual(try days(b), ["2026-11-20"])
    }

    func testLateSamplesRecomputeAndNothingElseIsTouched() async throws {
        let (b, c1, _, _) = try normalDay()
        let first = try await calc(now: "2026-11-21T00:00+09:00")
        XCTAssertEqual(first, .succeeded)
        let computedAt = try db.connection.query("SELECT computed_at::text AS t FROM business_daily").first!.string("t")
        let idle = try await calc(now: "2026-11-21T06:00+09:00")
        XCTAssertEqual(idle, .succeeded)
        XCTAssertEqual(try db.connection.query("SELECT computed_at::text AS t FROM business_daily").first!.string("t"), computedAt)

        // The failed 11:00 slot is collected late (e.g. a backfill): the day is recomputed.
        try db.connection.query("DELETE FROM status_collection WHERE business_id = $1 AND slot = '2026-11-20 11:00+09'", [b])
        try sample(b, "2026-11-20 11:00+09", [c1: "busy"])
        let late = try await calc(now: "2026-11-21T07:00+09:00")
        XCTAssertEqual(late, .succeeded)
        XCTAssertEqual(try history(c1, "2026-11-20")?.samples, 8)
        XCTAssertEqual(try history(c1, "2026-11-20")?.busy, 4)
        XCTAssertEqual(try daily(b, "2026-11-20")?.coverage, "1.000000")
    }

    func testCatchUpAfterATenDayGap() async throws {
        let b = try addBusiness("gap", open: "20:00", close: "21:00")
        let c = try addCast(b, "g")
        for day in 1...12 { try sample(b, String(format: "2026-10-%02d 20:00+09", day), [c: "busy"]) }
        let first = try await calc(now: "2026-10-02T08:00+09:00")
        XCTAssertEqual(first, .succeeded)
        XCTAssertEqual(try days(b), ["2026-10-01"])
        let catchUp = try await calc(now: "2026-10-13T08:00+09:00")
        XCTAssertEqual(catchUp, .succeeded)
        XCTAssertEqual(try days(b), (1...12).map { String(format: "2026-10-%02d", $0) })
        XCTAssertEqual(try count("SELECT count(*) AS n FROM business_daily WHERE ok_slots = 1 AND coverage = 0.5"), 12)
        XCTAssertEqual(try count("SELECT (metadata->>'days')::int AS n FROM batch_runs WHERE job = 'rate-calc' ORDER BY id DESC LIMIT 1"), 11)
    }

    func testRerunIsIdempotent() async throws {
        let (b, _, _, _) = try normalDay()
        _ = try await calc(now: "2026-11-21T00:00+09:00")
        let snapshot = "SELECT cast_id, samples, on_shift_samples, busy_samples, attendance_rate, working_rate, first_on_shift_slot, last_on_shift_slot FROM status_history ORDER BY cast_id"
        let before = try db.connection.query(snapshot).rows.map { try $0.raw("attendance_rate")! + ($0.raw("working_rate") ?? "-") + $0.raw("samples")! }
        let ids = try db.connection.query("SELECT id FROM status_history ORDER BY id").rows.map { try $0.int("id") }
        let forced = try await calc(["--force", "--business-id", "\(b)", "--date", "2026-11-20"], now: "2026-11-21T00:00+09:00")
        XCTAssertEqual(forced, .succeeded)
        let after = try db.connection.query(snapshot).rows.map { try $0.raw("attendance_rate")! + ($0.raw("working_rate") ?? "-") + $0.raw("samples")! }
        XCTAssertEqual(before, after)
        XCTAssertEqual(try db.connection.query("SELECT id FROM status_history ORDER BY id").rows.map { try $0.int("id") }, ids,
                       "upserted in place")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM business_daily"), 1)
    }

    func testBusinessAndDateFilters() async throws {
        let (b, _, _, _) = try normalDay()
        let other = try addBusiness("other", open: "10:00", close: "14:00")
        let o = try addCast(other, "o")
        try sample(other, "2026-11-19 10:00+09", [o: "busy"])
        try sample(other, "2026-11-20 10:00+09", [o: "busy"])
        let onlyOther = try await calc(["--business-id", "\(other)", "--date", "2026-11-20"], now: "2026-11-22T00:00+09:00")
        XCTAssertEqual(onlyOther, .succeeded)
        XCTAssertEqual(try days(other), ["2026-11-20"])
        XCTAssertEqual(try days(b), [])
        let notReady = try await calc(["--date", "2026-11-22"], now: "2026-11-22T12:00+09:00")
        XCTAssertEqual(notReady, .succeeded)
        XCTAssertEqual(try days(other), ["2026-11-20"], "a day not yet over is not computed without --force")
    }

    func testBadArguments() async throws {
        let bad = try await calc(["--from", "2026-11-30", "--to", "2026-11-01"], now: "2026-12-01T00:00Z")
        XCTAssertEqual(bad, .usage)
        let notADate = try await calc(["--date", "yesterday"], now: "2026-12-01T00:00Z")
        XCTAssertEqual(notADate, .usage)
    }

    func count(_ sql: String) throws -> Int { try db.connection.query(sql).first!.int("n") }

    /// The rehearsal runs the real recomputation, stale history included: what it prints is what
    /// the real run then writes.
    func testADryRunOfARecomputationShowsWhatTheRealRunWrites() async throws {
        let (b, _, c2, _) = try normalDay()
        let first = try await calc(now: "2026-11-21T00:00+09:00")
        XCTAssertEqual(first, .succeeded)
        // c2's samples turn out to be another shop's: removed, the day recomputed.
        try db.connection.execute(script: "DELETE FROM status WHERE cast_id = \(c2)")
        let dry = try runToEnd("rate-calc", ["--date", "2026-11-20", "--business-id", "\(b)", "--dry-run", "--now", "2026-11-21T00:00+09:00"],
                               environment: environment)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        let row = dry.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.first { $0.first == "\(b)" }
        let real = try await calc(["--date", "2026-11-20"], now: "2026-11-21T00:00+09:00")
        XCTAssertEqual(real, .succeeded)
        let daily = try db.connection.query("SELECT casts_seen, casts_on_shift FROM business_daily WHERE business_id = $1", [b]).first!
        XCTAssertEqual(try daily.int("casts_seen"), 2, "c1 and c3 are left")
        XCTAssertEqual(row?[4], "\(try daily.int("casts_seen"))", "the rehearsal counted the casts the real run keeps: \(dry.stdout)")
        XCTAssertEqual(row?[5], "\(try daily.int("casts_on_shift"))")
    }
}
