import Commands
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import WorkingRates
import XCTest

/// Crafted sample series written straight into the tables, then `rate-calc` run in-process.
class RateCalcTestCase: XCTestCase {
    var db: TestDatabase!
    var logDirectory: String!
    var sampleRun: Int64 = 0

    override func setUpWithError() throws {
        db = try TestDatabase()
        logDirectory = try temporaryDirectory()
        sampleRun = Int64(try db.connection.query("""
            INSERT INTO batch_runs (job, host, pid, status) VALUES ('status-collect', 'test', 1, 'succeeded') RETURNING id
            """).first!.int("id"))
    }

    override func tearDown() { db = nil }

    var environment: [String: String] { ["DATABASE_URL": db.url, "LOG_DIR": logDirectory] }

    func addBusiness(_ name: String, open: String, close: String, zone: String = "Asia/Tokyo") throws -> Int {
        try db.connection.query("""
            INSERT INTO business (name, site, listing_url, time_zone, open_time, close_time)
            VALUES ($1, 'dto', 'http://x/' || $1, $2, $3::time, $4::time) RETURNING id
            """, [name, zone, open, close]).first!.int("id")
    }

    func addCast(_ business: Int, _ siteID: String) throws -> Int {
        try db.connection.query("""
            INSERT INTO "cast" (business_id, site_cast_id, name, first_seen_at, last_seen_at)
            VALUES ($1, $2, $2, now(), now()) RETURNING id
            """, [business, siteID]).first!.int("id")
    }

    /// A collection slot (`at` is a timestamptz literal) and the statuses seen in it.
    func sample(_ business: Int, _ at: String, ok: Bool = true, _ statuses: [Int: String] = [:]) throws {
        try db.connection.query("""
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen)
            VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $4, $5)
            """, [business, sampleRun, at, ok, statuses.count])
        for (cast, status) in statuses {
            try db.connection.query("""
                INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES ($1, $2, $3::timestamptz, $4, $4)
                """, [cast, business, at, status])
        }
    }

    /// `rate-calc` in-process, its arguments parsed as the executable parses them.
    func calc(_ arguments: [String] = [], now: String) async throws -> ExitStatus {
        let argv = arguments + ["--now", now, "--quiet"]
        return try await RateCalcCompute.parse(argv).execute(arguments: argv, environment: environment)
    }

    struct History: Equatable {
        var samples: Int, onShift: Int, busy: Int
        var attendance: String, working: String?
        var first: String?, last: String?
    }

    func history(_ cast: Int, _ day: String) throws -> History? {
        guard let row = try db.connection.query("""
            SELECT samples, on_shift_samples, busy_samples, attendance_rate::text AS a, working_rate::text AS w,
                   to_char(first_on_shift_slot AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') AS f,
                   to_char(last_on_shift_slot AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') AS l
              FROM status_history WHERE cast_id = $1 AND business_day = $2::date
            """, [cast, day]).first else { return nil }
        return History(samples: try row.int("samples"), onShift: try row.int("on_shift_samples"), busy: try row.int("busy_samples"),
                       attendance: try row.string("a"), working: try row.optionalString("w"),
                       first: try row.optionalString("f"), last: try row.optionalString("l"))
    }

    struct Daily: Equatable {
        var expected: Int, ok: Int, coverage: String
        var seen: Int, onShift: Int
        var attendance: String?, working: String?
        var peak: Int
    }

    func daily(_ business: Int, _ day: String) throws -> Daily? {
        guard let row = try db.connection.query("""
            SELECT expected_slots, ok_slots, coverage::text AS c, casts_seen, casts_on_shift,
                   avg_attendance_rate::text AS a, avg_working_rate::text AS w, peak_on_shift
              FROM business_daily WHERE business_id = $1 AND business_day = $2::date
            """, [business, day]).first else { return nil }
        return Daily(expected: try row.int("expected_slots"), ok: try row.int("ok_slots"), coverage: try row.string("c"),
                     seen: try row.int("casts_seen"), onShift: try row.int("casts_on_shift"),
                     attendance: try row.optionalString("a"), working: try row.optionalString("w"), peak: try row.int("peak_on_shift"))
    }

    func days(_ business: Int) throws -> [String] {
        try db.connection.query("SELECT business_day::text AS d FROM business_daily WHERE business_id = $1 ORDER BY 1", [business])
            .rows.map { try $0.string("d") }
    }
}
