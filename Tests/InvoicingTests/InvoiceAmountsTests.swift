import NightshiftCore
import XCTest
@testable import Invoicing

/// Invoice money worked out by hand. Standard plan: ¥50,000 base, 10 users included at ¥1,000
/// per extra user, 5 engineers included at ¥3,000 per extra engineer; tax 10 %.
final class InvoiceAmountsTests: XCTestCase {
    let standard = ContractPlan(name: "Standard", basePriceYen: 50_000, includedUsers: 10, pricePerUserYen: 1_000,
                                includedEngineers: 5, pricePerEngineerYen: 3_000)

    func amounts(_ plan: ContractPlan, users: Int, engineers: Int) throws -> InvoiceAmounts {
        try InvoiceAmounts.compute(plan: plan, maxUsers: users, maxEngineers: engineers, taxRatePercent: 10)
    }

    func testNoOverage() throws {
        let a = try amounts(standard, users: 8, engineers: 3)
        XCTAssertEqual(a.lines, [InvoiceLine(description: "基本料金(Standard)", quantity: 1, unitPriceYen: 50_000, amountYen: 50_000)])
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [50_000, 5_000, 55_000])
    }

    func testExactlyAtTheIncludedLimitsIsNoOverage() throws {
        let a = try amounts(standard, users: 10, engineers: 5)
        XCTAssertEqual(a.lines.count, 1)
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [50_000, 5_000, 55_000])
    }

    func testExtraUsersOnly() throws {
        // 13 users: 3 extra × ¥1,000.
        let a = try amounts(standard, users: 13, engineers: 4)
        XCTAssertEqual(a.lines.map(\.amountYen), [50_000, 3_000])
        XCTAssertEqual(a.lines[1], InvoiceLine(description: "追加ユーザー(10名超過分)", quantity: 3, unitPriceYen: 1_000, amountYen: 3_000))
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [53_000, 5_300, 58_300])
    }

    func testExtraUsersAndEngineers() throws {
        // 12 users: 2 × ¥1,000; 7 engineers: 2 × ¥3,000.
        let a = try amounts(standard, users: 12, engineers: 7)
        XCTAssertEqual(a.lines.map(\.quantity), [1, 2, 2])
        XCTAssertEqual(a.lines.map(\.amountYen), [50_000, 2_000, 6_000])
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [58_000, 5_800, 63_800])
    }

    func testTaxIsRoundedDownOnceForTheWholeInvoice() throws {
        // ¥12,345 + 3 × ¥7 = ¥12,366; 10 % = 1,236.6 → ¥1,236.
        // ¥19 + 1 × ¥19 = ¥38 → ¥3; rounding per line would give 1 + 1 = ¥2.
        let odd = ContractPlan(name: "Odd", basePriceYen: 12_345, includedUsers: 0, pricePerUserYen: 7,
                               includedEngineers: 0, pricePerEngineerYen: 0)
        let a = try amounts(odd, users: 3, engineers: 0)
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [12_366, 1_236, 13_602])
        let tiny = ContractPlan(name: "Tiny", basePriceYen: 19, includedUsers: 0, pricePerUserYen: 19,
                                includedEngineers: 0, pricePerEngineerYen: 0)
        let b = try amounts(tiny, users: 1, engineers: 0)
        XCTAssertEqual([b.subtotalYen, b.taxYen, b.totalYen], [38, 3, 41])
    }

    func testOtherTaxRates() throws {
        let a = try InvoiceAmounts.compute(plan: standard, maxUsers: 11, maxEngineers: 0, taxRatePercent: 8)
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [51_000, 4_080, 55_080])
        let zero = try InvoiceAmounts.compute(plan: standard, maxUsers: 0, maxEngineers: 0, taxRatePercent: 0)
        XCTAssertEqual([zero.taxYen, zero.totalYen], [0, 50_000])
    }

    func testNegativeValuesAndOverflowAreProblemsNotNumbers() {
        var negative = standard
        negative.pricePerUserYen = -1_000
        XCTAssertThrowsError(try amounts(negative, users: 12, engineers: 0)) { error in
            XCTAssertEqual((error as? InvoiceProblem)?.description, "plan Standard: price_per_user_yen is negative (-1000)")
        }
        var huge = standard
        huge.pricePerEngineerYen = Int.max / 2
        XCTAssertThrowsError(try amounts(huge, users: 0, engineers: 8)) { error in
            XCTAssertTrue((error as? InvoiceProblem)?.description.hasPrefix("amount overflows") == true, "\(error)")
        }
    }

    func testNumbersAndMonths() {
        let month = CalendarMonth("2026-10")!
        XCTAssertEqual(InvoiceNumber.make(prefix: "INV", month: month, companyID: 42, contractID: 123), "INV-202610-000042-000123")
        XCTAssertEqual(InvoiceNumber.make(prefix: "NS", month: month, companyID: 1_234_567, contractID: 1), "NS-202610-1234567-000001")
        XCTAssertEqual([month.firstDay, month.lastDay], ["2026-10-01", "2026-10-31"])
        XCTAssertEqual(CalendarMonth("2028-02")!.lastDay, "2028-02-29")
        XCTAssertEqual(CalendarMonth("2100-02")!.lastDay, "2100-02-28")
        XCTAssertEqual(CalendarMonth("2026-11")!.lastDay, "2026-11-30")
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "2026-00", ""] { XCTAssertNil(CalendarMonth(bad), bad) }
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        // 2026-11-30T15:30Z is already 1 December in Tokyo: the month to bill is November.
        XCTAssertEqual(CalendarMonth.previous(to: Date(timeIntervalSince1970: 1_796_052_600), in: tokyo).description, "2026-11")
        XCTAssertEqual(CalendarMonth.previous(to: Date(timeIntervalSince1970: 1_798_761_600), in: tokyo).description, "2026-12",
                       "2027-01-01 in Tokyo bills December of the year before")
    }
}

final class RegistrationNumberTests: XCTestCase {
    func testCheckDigitsOfPublishedCorporateNumbers() {
        // The National Tax Agency's example 7123456789012 (9 − 74 mod 9 = 7), and two corporate numbers in public use.
        for valid in ["T7123456789012", "T7010705000725", "T4011001098993"] {
            XCTAssertNil(RegistrationNumber.problem(valid), valid)
        }
        XCTAssertEqual(RegistrationNumber.problem("T7123456789021"), .checkDigit(expected: 6))
        XCTAssertEqual(RegistrationNumber.problem("T1123456789012"), .checkDigit(expected: 7))
        XCTAssertNil(RegistrationNumber.problem("T1123456789012", checkDigit: false))
        for malformed in ["7123456789012", "T712345678901", "T71234567890123", "t7123456789012", "T71234567890１2", "T712345678901X"] {
            XCTAssertEqual(RegistrationNumber.problem(malformed), .malformed, malformed)
        }
    }

    func testProratedBaseFee() throws {
        let plan = ContractPlan(name: "Standard", displayName: "スタンダード", basePriceYen: 50_000, includedUsers: 10,
                                pricePerUserYen: 1_000, includedEngineers: 5, pricePerEngineerYen: 3_000)
        // 15–31 October: 17 days. ¥50,000 × 17 / 31 = 27,419.35 → ¥27,419; tax ⌊2,741.9⌋.
        let october = BilledPeriod(start: "2026-10-15", end: "2026-10-31", monthDays: 31)
        let a = try InvoiceAmounts.compute(plan: plan, maxUsers: 0, maxEngineers: 0, taxRatePercent: 10, period: october, proration: .daily)
        XCTAssertEqual(a.lines, [InvoiceLine(description: "基本料金(スタンダード 10/15〜10/31 日割 17/31日)", quantity: 1,
                                             unitPriceYen: 27_419, amountYen: 27_419)])
        XCTAssertEqual([a.subtotalYen, a.taxYen, a.totalYen], [27_419, 2_741, 30_160])
        // February 2028 has 29 days: one day is ¥50,000 / 29 = 1,724.1 → ¥1,724.
        let leap = BilledPeriod(start: "2028-02-29", end: "2028-02-29", monthDays: 29)
        XCTAssertEqual(try InvoiceAmounts.compute(plan: plan, maxUsers: 0, maxEngineers: 0, taxRatePercent: 10, period: leap,
                                                  proration: .daily).subtotalYen, 1_724)
        // Without proration, or for the whole month, the full fee.
        XCTAssertEqual(try InvoiceAmounts.compute(plan: plan, maxUsers: 0, maxEngineers: 0, taxRatePercent: 10, period: october,
                                                  proration: .none).subtotalYen, 50_000)
        let whole = BilledPeriod(start: "2026-10-01", end: "2026-10-31", monthDays: 31)
        XCTAssertEqual(try InvoiceAmounts.compute(plan: plan, maxUsers: 0, maxEngineers: 0, taxRatePercent: 10, period: whole,
                                                  proration: .daily).lines[0].description, "基本料金(スタンダード)")
    }
}
