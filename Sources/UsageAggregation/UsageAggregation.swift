import Foundation
import NightshiftCore
import Postgres

/// The aggregation itself, as SQL run inside PostgreSQL (`SQL/*.sql`): one day's company rows
/// and then its system-wide row, in one transaction, upserted so a recomputation is identical.
public enum UsageAggregation {
    public static let companySQL = load("usage_log")
    public static let systemSQL = load("system_usage")

    public static func compute(_ db: Connection, day: String, timeZone: TimeZone, runID: Int64) throws {
        try db.transaction {
            try db.query(companySQL, [day, timeZone.identifier, runID])
            try db.query(systemSQL, [day, runID])
        }
    }

    private static func load(_ name: String) -> String { BundledSQL.load(name, from: .module) }
}
