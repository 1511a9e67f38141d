import Foundation
import Postgres
import TestSupport
import XCTest

final class ConnectionTests: XCTestCase {
    func testParametersAreBoundNotInterpolated() throws {
        let db = try TestDatabase(migrated: false)
        try db.connection.execute(script: "CREATE TABLE t (s text)")
        let hostile = "x'); DROP TABLE t; --"
        try db.connection.query("INSERT INTO t VALUES ($1)", [hostile])
        XCTAssertEqual(try db.connection.query("SELECT s FROM t").first?.string("s"), hostile)
    }

    func testTypedDecodingAndNulls() throws {
        let db = try TestDatabase(migrated: false)
        let row = try db.connection.query("SELECT 42::int8 AS n, true AS b, NULL::text AS missing, 'ｱ日本' AS s").first!
        XCTAssertEqual(try row.int("n"), 42)
        XCTAssertEqual(try row.bool("b"), true)
        XCTAssertNil(try row.optionalString("missing"))
        XCTAssertEqual(try row.string("s"), "ｱ日本")
        XCTAssertThrowsError(try row.string("missing"))
        XCTAssertThrowsError(try row.int("s"))
    }

    func testTimestampsRoundTripToTheMicrosecond() throws {
        let db = try TestDatabase(migrated: false)
        // 2026-03-29 01:30:00.123456 UTC, given in a zone with an offset
        let row = try db.connection.query("""
            SELECT timestamptz '2026-03-29 10:30:00.123456+09' AS t,
                   extract(epoch FROM timestamptz '2026-03-29 10:30:00.123456+09')::text AS e
            """).first!
        let date = try row.date("t")
        XCTAssertEqual(date.timeIntervalSince1970, 1_774_747_800.123456, accuracy: 0.000001)
        let back = try db.connection.query("SELECT $1::timestamptz = timestamptz '2026-03-29 01:30:00.123456+00' AS same", [date])
        XCTAssertTrue(try back.first!.bool("same"))
        XCTAssertEqual(PostgresTimestamp.format(Date(timeIntervalSince1970: -1.5)), "1969-12-31 23:59:58.500000+00")
    }

    func testArraysCarryAnyText() throws {
        let db = try TestDatabase(migrated: false)
        let values = ["plain", "with \"quotes\"", "back\\slash", "comma,brace{}", "", "NULL"]
        let result = try db.connection.query("SELECT u FROM unnest($1::text[]) WITH ORDINALITY AS x(u, i) ORDER BY i", [values])
        XCTAssertEqual(try result.rows.map { try $0.string("u") }, values)
    }

    func testServerErrorsCarrySQLState() throws {
        let db = try TestDatabase(migrated: false)
        try db.connection.execute(script: "CREATE TABLE u (k int PRIMARY KEY)")
        try db.connection.query("INSERT INTO u VALUES (1)")
        XCTAssertThrowsError(try db.connection.query("INSERT INTO u VALUES (1)")) { error in
            let pg = error as! PostgresError
            XCTAssertEqual(pg.sqlState, "23505")
            XCTAssertFalse(pg.isTransient, "a constraint violation is permanent")
        }
        XCTAssertTrue(db.connection.isHealthy)
    }

    func testTransactionRollsBackOnError() throws {
        let db = try TestDatabase(migrated: false)
        try db.connection.execute(script: "CREATE TABLE v (k int)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.connection.transaction {
            try db.connection.query("INSERT INTO v VALUES (1)")
            throw Boom()
        })
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM v").first!.int("n"), 0)
    }

    func testCopyStreamsRowsWithEscapes() throws {
        let db = try TestDatabase(migrated: false)
        try db.connection.execute(script: "CREATE TABLE c (n int, s text)")
        let rows = (1...10_000).lazy.map { n -> [PostgresEncodable?] in [n, n % 1000 == 0 ? nil : "row\t\(n)\\\n"] }
        XCTAssertEqual(try db.connection.copyIn(table: "c", columns: ["n", "s"], rows: rows), 10_000)
        let check = try db.connection.query("SELECT count(*) AS n, count(s) AS s, max(s) FILTER (WHERE n = 7) AS seven FROM c").first!
        XCTAssertEqual(try check.int("n"), 10_000)
        XCTAssertEqual(try check.int("s"), 9_990)
        XCTAssertEqual(try check.string("seven"), "row\t7\\\n")
    }

    func testUnreachableServerIsTransientAndBadPasswordIsNot() throws {
        XCTAssertThrowsError(try Connection(url: "postgresql://postgres@127.0.0.1:1/x", connectTimeoutSeconds: 2)) { error in
            XCTAssertTrue((error as! PostgresError).isTransient)
        }
    }

    func testAdvisoryLockIsExclusiveAcrossSessionsAndFreedWhenSessionEnds() throws {
        let db = try TestDatabase(migrated: false)
        let other = try Connection(url: db.url)
        XCTAssertTrue(try db.connection.tryAdvisoryLock(77))
        XCTAssertFalse(try other.tryAdvisoryLock(77))
        db.connection.close()
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertTrue(try other.tryAdvisoryLock(77))
    }

    func testANestedTransactionIsASavepointAndRolledBackWorkLeavesNothing() throws {
        let db = try TestDatabase(migrated: false)
        let c = db.connection
        try c.execute(script: "CREATE TABLE nest (n int)")
        struct Oops: Error {}
        try c.transaction {
            try c.query("INSERT INTO nest VALUES (1)")
            XCTAssertThrowsError(try c.transaction { try c.query("INSERT INTO nest VALUES (2)"); throw Oops() })
            try c.transaction { try c.query("INSERT INTO nest VALUES (3)") }
        }
        XCTAssertEqual(try c.query("SELECT string_agg(n::text, ',' ORDER BY n) AS s FROM nest").first!.string("s"), "1,3",
                       "the failed inner unit alone was undone")
        try c.rolledBack {
            try c.transaction { try c.query("INSERT INTO nest VALUES (4)") }
            XCTAssertEqual(try c.query("SELECT count(*) AS n FROM nest").first!.int("n"), 3, "visible inside")
        }
        XCTAssertEqual(try c.query("SELECT count(*) AS n FROM nest").first!.int("n"), 2, "and gone after the rehearsal")
        try c.transaction { try c.query("INSERT INTO nest VALUES (5)") }
        XCTAssertEqual(try c.query("SELECT count(*) AS n FROM nest").first!.int("n"), 3, "an ordinary transaction again afterwards")
    }

    func testCivilCalendarFieldsAndMonthLengths() {
        // 2026-11-23 12:34:56 UTC, and one second before the epoch.
        XCTAssertEqual(CivilCalendar.fields(ofSecond: 1_795_437_296), .init(year: 2026, month: 11, day: 23, hour: 12, minute: 34, second: 56))
        XCTAssertEqual(CivilCalendar.fields(ofSecond: -1), .init(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        XCTAssertEqual([1, 2, 4, 12].map { CivilCalendar.daysIn(year: 2026, month: $0) }, [31, 28, 30, 31])
        XCTAssertEqual([2000, 2024, 2100].map { CivilCalendar.daysIn(year: $0, month: 2) }, [29, 29, 28])
    }
}
