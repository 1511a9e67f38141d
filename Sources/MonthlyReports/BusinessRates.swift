import Foundation
import NightshiftCore
import Postgres

/// A business's month of working rates: the stored counts behind them (rates are pooled ratios,
/// divided only for display), for the month, the month before and the same month a year earlier.
public struct BusinessRates: Sendable, Equatable, Codable {
    public struct Period: Sendable, Equatable, Codable {
        public var days = 0
        public var expectedSlots = 0, okSlots = 0
        public var samples = 0, onShiftSamples = 0, busySamples = 0
        public var peakOnShift = 0
        /// Per day of the month (index 0 is the 1st); nil where the business had no computed day.
        public var dailySamples: [Int?] = [], dailyOnShift: [Int?] = [], dailyBusy: [Int?] = []

        /// On-shift samples / samples: the share of cast-slots a cast was on shift. Nil without samples.
        public var attendanceRate: Double? { samples == 0 ? nil : Double(onShiftSamples) / Double(samples) }
        /// Busy samples / on-shift samples: the share of on-shift cast-slots spent with a customer.
        public var workingRate: Double? { onShiftSamples == 0 ? nil : Double(busySamples) / Double(onShiftSamples) }
        /// Successful slots / expected slots.
        public var coverage: Double? { expectedSlots == 0 ? nil : Double(okSlots) / Double(expectedSlots) }
    }

    public var businessID: Int
    public var current: Period?
    public var previous: Period?
    public var yearAgo: Period?

    public init(businessID: Int) { self.businessID = businessID }

    private static let sql = BundledSQL.load("business_rates", from: .module)

    public static func load(_ db: Connection, month: CalendarMonth, businesses: [Int]) throws -> [Int: BusinessRates] {
        var result = Dictionary(uniqueKeysWithValues: businesses.map { ($0, BusinessRates(businessID: $0)) })
        let yearAgo = CalendarMonth(year: month.year - 1, month: month.month)
        for row in try db.query(sql, [month.firstDay, businesses]).rows {
            let id = try row.int("business_id"), kind = try row.string("period")
            let length = (kind == "current" ? month : kind == "previous" ? month.before : yearAgo).dayCount
            let days = try row.intArray("day_numbers")
            func daily(_ column: String) throws -> [Int?] { CompanyUsage.daily(days, try row.intArray(column), length: length) }
            let period = Period(days: try row.int("days"), expectedSlots: try row.int("expected_slots"), okSlots: try row.int("ok_slots"),
                                samples: try row.int("samples"), onShiftSamples: try row.int("on_shift_samples"),
                                busySamples: try row.int("busy_samples"), peakOnShift: try row.int("peak_on_shift"),
                                dailySamples: try daily("daily_samples"), dailyOnShift: try daily("daily_on_shift"),
                                dailyBusy: try daily("daily_busy"))
            switch kind {
            case "current": result[id]?.current = period
            case "previous": result[id]?.previous = period
            default: result[id]?.yearAgo = period
            }
        }
        return result
    }
}
