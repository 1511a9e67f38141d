import Foundation
import MonthlyReports
import NightshiftCore
import TestSupport
import XCTest

/// A business's month of working rates from stored days, counted by hand: an overnight business
/// in Tokyo, and a New York one whose 1 November 2026 is 25 hours long (the end of DST).
final class BusinessRatesTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'rate-calc', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO business (id, name, site, listing_url, time_zone, open_time, close_time) VALUES
              (1, '夜の店', 'cityheaven', 'https://a.example/1', 'Asia/Tokyo', '18:00', '05:00'),
              (2, 'Night Club', 'cityheaven', 'https://a.example/2', 'America/New_York', '20:00', '08:00');
            INSERT INTO "cast" (id, business_id, site_cast_id, name, first_seen_at, last_seen_at) VALUES
              (1, 1, 'a', 'あい', '2025-01-01', '2026-10-31'), (2, 1, 'b', 'みき', '2025-01-01', '2026-10-31'),
              (3, 2, 'c', 'Ann', '2025-01-01', '2026-11-30');
            -- Business days (the date each window starts): October 1–3, September 30, 5 October 2025.
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            SELECT b, d, now(), now(), e, o, CASE WHEN e = 0 THEN 0 ELSE o::numeric / e END, 2, 1, p, 1
              FROM (VALUES (1, date '2026-10-01', 22, 22, 1), (1, '2026-10-02', 22, 22, 2), (1, '2026-10-03', 22, 0, 0),
                           (1, '2026-09-30', 22, 22, 1), (1, '2025-10-05', 20, 20, 1),
                           (2, '2026-11-01', 50, 50, 1), (2, '2026-10-31', 48, 48, 1)) AS v(b, d, e, o, p);
            INSERT INTO status_history (cast_id, business_id, business_day, samples, on_shift_samples, busy_samples,
                                        attendance_rate, working_rate, run_id)
            SELECT c, b, d, s, o, w, o::numeric / s, CASE WHEN o = 0 THEN NULL ELSE w::numeric / o END, 1
              FROM (VALUES (1, 1, date '2026-10-01', 22, 20, 10), (2, 1, '2026-10-01', 22, 0, 0),
                           (1, 1, '2026-10-02', 22, 22, 11), (2, 1, '2026-10-02', 22, 11, 11),
                           (1, 1, '2026-09-30', 22, 11, 0), (1, 1, '2025-10-05', 20, 10, 5),
                           (3, 2, '2026-11-01', 50, 25, 5), (3, 2, '2026-10-31', 48, 24, 12)) AS v(c, b, d, s, o, w);
            """)
    }

    func testTheMonthTheMonthBeforeAndAYearAgoArePooledFromStoredCounts() throws {
        let rates = try BusinessRates.load(db.connection, month: CalendarMonth("2026-10")!, businesses: [1])
        let october = try XCTUnwrap(rates[1]?.current)
        XCTAssertEqual([october.days, october.expectedSlots, october.okSlots, october.peakOnShift], [3, 66, 44, 2])
        XCTAssertEqual([october.samples, october.onShiftSamples, october.busySamples], [88, 53, 32])
        XCTAssertEqual(october.attendanceRate, 53.0 / 88, "pooled, not the mean of daily rates")
        XCTAssertEqual(october.workingRate, 32.0 / 53)
        XCTAssertEqual(october.coverage, 44.0 / 66)
        XCTAssertEqual(Array(october.dailyOnShift.prefix(4)), [20, 33, 0, nil], "the 3rd computed with no samples; the 4th not at all")
        XCTAssertEqual(october.dailySamples.count, 31)

        let september = try XCTUnwrap(rates[1]?.previous)
        XCTAssertEqual([september.days, september.samples, september.onShiftSamples], [1, 22, 11])
        XCTAssertEqual(september.workingRate, 0, "on shift and never busy: 0, not nil")
        XCTAssertEqual(september.dailySamples.count, 30)
        XCTAssertEqual(rates[1]?.yearAgo?.attendanceRate, 0.5)
    }

    func testADSTDayIsOneBusinessDayOfTheMonthItStartsIn() throws {
        let rates = try BusinessRates.load(db.connection, month: CalendarMonth("2026-11")!, businesses: [2])
        let november = try XCTUnwrap(rates[2]?.current)
        XCTAssertEqual([november.days, november.expectedSlots, november.samples, november.onShiftSamples], [1, 50, 50, 25])
        XCTAssertEqual(november.workingRate, 0.2)
        XCTAssertEqual(rates[2]?.previous?.days, 1, "31 October's window runs into November but belongs to October")
        XCTAssertNil(rates[2]?.yearAgo, "no data a year earlier: no comparison")
    }

    /// Samples in a window whose day rate-calc has not computed: that day is missing. The samples
    /// at 02:00 on 2 October belong to the window that opened on 1 October (computed).
    func testDaysWithSamplesButNoComputedDayAreMissing() throws {
        try db.connection.execute(script: """
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES
              (1, 1, '2026-10-02 02:00+09', now(), true), (1, 1, '2026-10-04 20:00+09', now(), true),
              (1, 1, '2026-10-06 20:00+09', now(), false), (1, 1, '2026-11-01 02:00+09', now(), true);
            """)
        let missing = try MonthCompleteness.missingRateDays(db.connection, month: CalendarMonth("2026-10")!, businesses: [1, 2])
        XCTAssertEqual(missing, [1: ["2026-10-04", "2026-10-31"]],
                       "the 4th has samples; the 6th only a failed one; 02:00 on 1 November is the 31st's window")
    }
}
