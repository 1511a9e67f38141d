import Foundation
import NightshiftCore
import Postgres

/// The aggregation itself, as SQL run inside PostgreSQL (`SQL/*.sql`, shared with `bin/bench`):
/// for one business and a set of business days, per-cast history and the business's daily row,
/// upserted so a recomputation leaves identical figures. Counts are stored; rates are exact
/// numeric ratios of them, rounded to 6 decimals.
public enum RateAggregation {
    public static let castHistorySQL = load("cast_history")
    public static let staleHistorySQL = load("stale_history")
    public static let businessDailySQL = load("business_daily")

    /// Computes `days` of one business in one transaction.
    public static func compute(_ db: Connection, business: Int, days: [String], runID: Int64, slotMinutes: Int) throws {
        try db.transaction {
            try db.query(castHistorySQL, [business, days, runID])
            try db.query(staleHistorySQL, [business, days, runID])
            try db.query(businessDailySQL, [business, days, runID, slotMinutes])
        }
    }

    private static func load(_ name: String) -> String { BundledSQL.load(name, from: .module) }
}
