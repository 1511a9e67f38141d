import Foundation
import NightshiftCore
import Postgres

/// The figures of a company's monthly usage report: the month and the month before, each from the
/// `usage_log` rows it has (a company created mid-month has fewer days; one with no rows in the
/// month before has no comparison, shown as "—").
public struct CompanyUsage: Sendable, Equatable, Codable {
    /// One period's figures. Averages are exact ratios (`usersSum / days`), rounded only for display.
    public struct Period: Sendable, Equatable, Codable {
        public var days = 0
        public var usersMax = 0, usersEnd = 0, usersSum = 0
        public var activeUsersMax = 0, activeUsersSum = 0
        public var engineersMax = 0, activeEngineersMax = 0
        public var approaches = 0, emailsSent = 0, logins = 0, apiCalls = 0
        public var storageEndMB = 0
        /// One per day of the month (index 0 is the 1st); nil where the company had no row.
        public var dailyActiveUsers: [Int?] = []
        public var dailyApproaches: [Int?] = []

        public var usersAverage: Double { days == 0 ? 0 : Double(usersSum) / Double(days) }
        public var activeUsersAverage: Double { days == 0 ? 0 : Double(activeUsersSum) / Double(days) }
    }

    public var companyID: Int
    public var current: Period?
    public var previous: Period?

    public init(companyID: Int, current: Period? = nil, previous: Period? = nil) {
        (self.companyID, self.current, self.previous) = (companyID, current, previous)
    }

    private static let sql = BundledSQL.load("company_usage", from: .module)

    /// The figures of `companies` for `month`, one per company (a company without rows in either
    /// month has both periods nil); with `system`, the system-wide rows' as company 0.
    public static func load(_ db: Connection, month: CalendarMonth, companies: [Int], system: Bool = false) throws -> [Int: CompanyUsage] {
        var result = Dictionary(uniqueKeysWithValues: (companies + (system ? [0] : [])).map { ($0, CompanyUsage(companyID: $0)) })
        for row in try db.query(sql, [month.firstDay, companies, system]).rows {
            let id = try row.int("company_id")
            let days = try row.intArray("day_numbers")
            var period = Period(days: try row.int("days"), usersMax: try row.int("users_max"), usersEnd: try row.int("users_end"),
                                usersSum: try row.int("users_sum"), activeUsersMax: try row.int("active_users_max"),
                                activeUsersSum: try row.int("active_users_sum"), engineersMax: try row.int("engineers_max"),
                                activeEngineersMax: try row.int("active_engineers_max"), approaches: try row.int("approaches"),
                                emailsSent: try row.int("emails_sent"), logins: try row.int("logins"), apiCalls: try row.int("api_calls"),
                                storageEndMB: try row.int("storage_end_mb"))
            let isCurrent = try row.string("period") == "current"
            let length = (isCurrent ? month : month.before).dayCount
            period.dailyActiveUsers = daily(days, try row.intArray("daily_active_users"), length: length)
            period.dailyApproaches = daily(days, try row.intArray("daily_approaches"), length: length)
            if isCurrent { result[id]?.current = period } else { result[id]?.previous = period }
        }
        return result
    }

    /// One value per day of a month `length` days long from the days that have one (`days` are
    /// days of the month, `values` theirs); nil for the others.
    static func daily(_ days: [Int], _ values: [Int], length: Int) -> [Int?] {
        var series = [Int?](repeating: nil, count: length)
        for (day, value) in zip(days, values) where (1...length).contains(day) { series[day - 1] = value }
        return series
    }
}
