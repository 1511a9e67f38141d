import Foundation
import TestSupport
import XCTest

/// SIGTERM, then SIGINT, while a business's day is being written: the run writes that business,
/// starts no other, records itself `interrupted`; the next run computes the rest, once each.
final class StopSignalTests: RateCalcTestCase {
    func testEachSignalStopsBetweenBusinessesAndTheNextRunComputesTheRest() throws {
        for index in 1...4 {
            let business = try addBusiness("stop \(index)", open: "18:00", close: "20:00")
            let cast = try addCast(business, "\(index)")
            for slot in ["18:00", "18:30", "19:00", "19:30"] {
                try sample(business, "2026-11-20 \(slot)+09", [cast: "available"])
            }
        }
        let arguments = ["--now", "2026-11-21T12:00+09:00"]
        let term = try runStopped("rate-calc", arguments, environment: environment, signal: SIGTERM, holding: "status_history", in: db)
        XCTAssertEqual(term.status, 143, term.stderr)
        XCTAssertTrue(term.stderr.contains("interrupted by SIGTERM after 1 item(s) done"), term.stderr)
        let int = try runStopped("rate-calc", arguments, environment: environment, signal: SIGINT, holding: "status_history", in: db)
        XCTAssertEqual(int.status, 130, int.stderr)
        XCTAssertTrue(int.stderr.contains("interrupted by SIGINT"), int.stderr)
        let rest = try runToEnd("rate-calc", arguments, environment: environment)
        XCTAssertEqual(rest.status, 0, rest.stderr)

        let runs = try db.connection.query("SELECT status, items_ok FROM batch_runs WHERE job = 'rate-calc' ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["interrupted", "interrupted", "succeeded"])
        XCTAssertEqual(try runs.map { try $0.int("items_ok") }, [1, 1, 2])
        let days = try db.connection.query("SELECT count(*) AS n, count(DISTINCT business_id) AS b FROM business_daily").first!
        XCTAssertEqual(try days.int("n"), 4)
        XCTAssertEqual(try days.int("b"), 4)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM status_history").first!.int("n"), 4)
    }

    /// Started twice at once: the second is `skipped`; each business's day is computed once.
    func testTwoStartsAtOnceComputeEachDayOnce() throws {
        for index in 1...2 {
            let business = try addBusiness("twice \(index)", open: "18:00", close: "20:00")
            let cast = try addCast(business, "\(index)")
            for slot in ["18:00", "18:30", "19:00", "19:30"] { try sample(business, "2026-11-20 \(slot)+09", [cast: slot == "18:00" ? "busy" : "available"]) }
        }
        let (first, second) = try runTwiceAtOnce("rate-calc", ["--now", "2026-11-21T12:00+09:00"], environment: environment,
                                                 holding: "status_history", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "rate-calc"), ["succeeded", "skipped"])
        let days = try db.connection.query("SELECT count(*) AS n, count(DISTINCT business_id) AS b FROM business_daily").first!
        XCTAssertEqual(try days.int("n"), 2)
        XCTAssertEqual(try days.int("b"), 2)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM status_history").first!.int("n"), 2, "one row per cast and day")
        XCTAssertEqual(try db.connection.query("SELECT sum(busy_samples) AS n FROM status_history").first!.int("n"), 2, "18:00 busy, once each")
    }
}
