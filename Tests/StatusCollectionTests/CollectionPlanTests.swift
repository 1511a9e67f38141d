import Foundation
import NightshiftCore
import Postgres
import StatusCollection
import TestSupport
import XCTest

final class CollectionPlanTests: XCTestCase {
    func date(_ text: String) -> Date { TimestampArgument.parse(text, timeZone: TimeZone(identifier: "Asia/Tokyo")!)! }

    func testSlotIsTheStartOfTheInterval() {
        XCTAssertEqual(CollectionPlan.slot(for: date("2026-11-23T21:29:59+09:00"), intervalMinutes: 30), date("2026-11-23T21:00:00+09:00"))
        XCTAssertEqual(CollectionPlan.slot(for: date("2026-11-23T21:30:00+09:00"), intervalMinutes: 30), date("2026-11-23T21:30:00+09:00"))
        XCTAssertEqual(CollectionPlan.slot(for: date("2026-11-23T21:44:00+09:00"), intervalMinutes: 15), date("2026-11-23T21:30:00+09:00"))
        // Half-hour zones (India) still get :00/:30 slots.
        XCTAssertEqual(CollectionPlan.slot(for: date("2026-11-23T21:10:00+05:30"), intervalMinutes: 30), date("2026-11-23T21:00:00+05:30"))
    }

    func addBusiness(_ db: Connection, _ name: String, open: String, close: String, zone: String = "Asia/Tokyo",
                     active: Bool = true) throws -> Int {
        try db.query("""
            INSERT INTO business (name, site, listing_url, time_zone, open_time, close_time, active)
            VALUES ($1, 'dto', 'http://x/' || $1, $2, $3::time, $4::time, $5) RETURNING id
            """, [name, zone, open, close, active]).first!.int("id")
    }

    func due(_ db: Connection, _ when: String, buffer: Int = 30) throws -> [String] {
        let slot = CollectionPlan.slot(for: date(when), intervalMinutes: 30)
        return try CollectionPlan.dueBusinesses(db, slot: slot, bufferMinutes: buffer, force: false, onlyIDs: []).map(\.name)
    }

    func testDayHoursWithAndWithoutBufferAtEachEdge() throws {
        let db = try TestDatabase()
        _ = try addBusiness(db.connection, "day", open: "10:00", close: "22:00")
        XCTAssertEqual(try due(db.connection, "2026-11-23T09:29:59+09:00"), [], "slot 09:00 is before 10:00 − 30 min")
        XCTAssertEqual(try due(db.connection, "2026-11-23T09:30:00+09:00"), ["day"], "10:00 − 30 min, edge included")
        XCTAssertEqual(try due(db.connection, "2026-11-23T22:30:00+09:00"), ["day"], "22:00 + 30 min, edge included")
        XCTAssertEqual(try due(db.connection, "2026-11-23T22:59:00+09:00"), ["day"], "still slot 22:30")
        XCTAssertEqual(try due(db.connection, "2026-11-23T23:00:00+09:00"), [])
        XCTAssertEqual(try due(db.connection, "2026-11-23T09:30:00+09:00", buffer: 0), [])
        XCTAssertEqual(try due(db.connection, "2026-11-23T10:00:00+09:00", buffer: 0), ["day"])
        XCTAssertEqual(try due(db.connection, "2026-11-23T22:00:00+09:00", buffer: 0), ["day"])
        XCTAssertEqual(try due(db.connection, "2026-11-23T22:30:00+09:00", buffer: 0), [])
    }

    func testOvernightHoursCrossMidnight() throws {
        let db = try TestDatabase()
        _ = try addBusiness(db.connection, "night", open: "18:00", close: "05:00")
        XCTAssertEqual(try due(db.connection, "2026-11-23T17:00:00+09:00"), [])
        XCTAssertEqual(try due(db.connection, "2026-11-23T17:30:00+09:00"), ["night"])
        XCTAssertEqual(try due(db.connection, "2026-11-23T23:59:00+09:00"), ["night"])
        XCTAssertEqual(try due(db.connection, "2026-11-24T02:00:00+09:00"), ["night"], "after midnight belongs to the previous opening")
        XCTAssertEqual(try due(db.connection, "2026-11-24T05:30:00+09:00"), ["night"])
        XCTAssertEqual(try due(db.connection, "2026-11-24T06:00:00+09:00"), [])
        XCTAssertEqual(try due(db.connection, "2026-11-24T12:00:00+09:00"), [])
    }

    func testEachBusinessInItsOwnTimeZoneAcrossDST() throws {
        let db = try TestDatabase()
        _ = try addBusiness(db.connection, "london", open: "20:00", close: "02:00", zone: "Europe/London")
        _ = try addBusiness(db.connection, "tokyo", open: "20:00", close: "02:00")
        _ = try addBusiness(db.connection, "closed", open: "20:00", close: "02:00", active: false)
        // 2026-03-29 is the spring-forward night in London (01:00 GMT → 02:00 BST): the close at
        // 02:00 local is 01:00 UTC, so the last buffered slot is 01:30 UTC.
        XCTAssertEqual(try due(db.connection, "2026-03-29T01:30:00Z"), ["london"])
        XCTAssertEqual(try due(db.connection, "2026-03-29T02:00:00Z"), [])
        // Tokyo 20:00 = 11:00 UTC; London is closed then.
        XCTAssertEqual(try due(db.connection, "2026-11-23T11:00:00Z"), ["tokyo"])
        // London 19:30 in winter = 19:30 UTC = Tokyo 04:30 (its 02:00 + 30 is long past).
        XCTAssertEqual(try due(db.connection, "2026-11-23T19:30:00Z"), ["london"])
    }

    func testUnknownTimeZonesAreRejectedByTheSchema() throws {
        let db = try TestDatabase()
        XCTAssertThrowsError(try addBusiness(db.connection, "bad", open: "10:00", close: "11:00", zone: "Mars/Olympus"))
    }
}
