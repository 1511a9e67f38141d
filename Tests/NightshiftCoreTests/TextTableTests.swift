import Foundation
import NightshiftCore
import XCTest

final class TextTableTests: XCTestCase {
    func testJapaneseNamesAlignByDisplayWidth() {
        let table = TextTable(headers: ["#", "cast", "rate"], rightAligned: [0, 2])
            .render([["1", "あいり", "100.0%"], ["2", "Bea", "50.0%"], ["10", "ＡＢ・ｃ", "5.0%"]])
        // ＡＢ・ｃ is four fullwidth characters: 8 columns, the widest cell of its column.
        XCTAssertEqual(table, """
             #  cast        rate
             1  あいり    100.0%
             2  Bea        50.0%
            10  ＡＢ・ｃ    5.0%
            """)
        XCTAssertEqual(Set(table.split(separator: "\n").map { TextTable.displayWidth(String($0)) }), [20], "every row ends in the same column")
        XCTAssertEqual(TextTable.displayWidth("あいり"), 6)
        XCTAssertEqual(TextTable.displayWidth("ｱｲﾘ"), 3, "halfwidth katakana are narrow")
        XCTAssertEqual(TextTable.displayWidth("e\u{301}"), 1, "a combining accent takes no column")
    }

    func testLongCellsAreCutByWidth() {
        XCTAssertEqual(TextTable(headers: ["x"], maxCellWidth: 5).render([["あいうえお"]]), "x\nあい…")
    }

    func testCounts() {
        XCTAssertEqual(counted(1, "day"), "1 day")
        XCTAssertEqual(counted(2, "day"), "2 days")
        XCTAssertEqual(counted(0, "business", "businesses"), "0 businesses")
    }

    func testTimesShownToPeopleAreISO8601WithTheZonesOffset() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!, newYork = TimeZone(identifier: "America/New_York")!
        let instant = Date(timeIntervalSince1970: 1_795_435_200)  // 2026-11-23 12:00:00 UTC
        XCTAssertEqual(LocalTime.isoTimestamp(instant, in: tokyo), "2026-11-23T21:00:00+09:00")
        XCTAssertEqual(LocalTime.isoTimestamp(instant, in: newYork), "2026-11-23T07:00:00-05:00")
        XCTAssertEqual(LocalTime.isoTimestamp(postgres: "2026-11-23 12:00:00.000000+00", in: tokyo), "2026-11-23T21:00:00+09:00")
        XCTAssertEqual(LocalTime.isoTimestamp(postgres: "not a time", in: tokyo), "not a time")
    }
}
