import MonthlyReports
import XCTest

final class FigureChangeTests: XCTestCase {
    func testTheChangeAgainstTheMonthBefore() {
        assertChange(FigureChange(current: 62, previous: 30), FigureChange.expected("+32", "+106.7%"))
        assertChange(FigureChange(current: 12, previous: 8), FigureChange.expected("+4", "+50.0%"))
        assertChange(FigureChange(current: 0, previous: 4), FigureChange.expected("\u{2212}4", "\u{2212}100.0%"))
        assertChange(FigureChange(current: 1_250, previous: 1_250), FigureChange.expected("±0", "±0.0%"))
        assertChange(FigureChange(current: 332.0 / 31, previous: 8, decimals: 1), FigureChange.expected("+2.7", "+33.9%"))
    }

    func testNothingToCompareWithIsADashNotZeroOrInfinity() {
        assertChange(FigureChange(current: 5, previous: nil), FigureChange.expected("—", "—"))
        assertChange(FigureChange(current: 5, previous: 0), FigureChange.expected("+5", "—"))
    }

    func testNumbersAreGroupedAndRoundedHalfUp() {
        XCTAssertEqual(FigureFormat.number(1_234_567), "1,234,567")
        XCTAssertEqual(FigureFormat.number(10.75, decimals: 1), "10.8")
        XCTAssertEqual(FigureFormat.number(332.0 / 31, decimals: 1), "10.7")
    }
}

extension FigureChange {
    static func expected(_ difference: String, _ percent: String) -> (String, String) { (difference, percent) }
}

func assertChange(_ change: FigureChange, _ expected: (String, String), file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(change.difference, expected.0, file: file, line: line)
    XCTAssertEqual(change.percent, expected.1, file: file, line: line)
}
