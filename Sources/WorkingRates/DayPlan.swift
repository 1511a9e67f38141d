import Foundation
import Postgres

/// Which business days to compute.
public struct DayPlan {
    public struct Selection: Sendable {
        public var businessIDs: [Int] = []
        /// An explicit range (`--date`, `--from/--to`): its days are computed even if done before.
        public var from: String?
        public var to: String?
        /// Also days already computed and days not yet ready.
        public var force = false
        public init() {}
        public var isExplicit: Bool { from != nil || to != nil }
    }

    /// `[business id: [business day (YYYY-MM-DD)]]`, oldest first. Without a range: every ready day
    /// since the business's first data (at most `lookbackDays` back) that was never computed, or
    /// that received samples after it was computed.
    public static func days(_ db: Connection, now: Date, selection: Selection,
                            settings: RateCalcSettings) throws -> [(business: Int, days: [String])] {
        let rows = try db.query("""
            SELECT b.id AS business_id, day::date::text AS business_day
              FROM business b
             CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE b.time_zone)::date AS today) t
             CROSS JOIN LATERAL (
                   SELECT least((b.created_at AT TIME ZONE b.time_zone)::date,
                                -- the business day of the first sample (an hour's margin for the pre-open buffer)
                                (SELECT ((min(sc.slot) AT TIME ZONE b.time_zone) - b.open_time + interval '1 hour')::date
                                   FROM status_collection sc WHERE sc.business_id = b.id)) AS first_day) f
             CROSS JOIN LATERAL generate_series(
                   coalesce($5::date, greatest(t.today - $2::int, f.first_day)),
                   coalesce($6::date, t.today), interval '1 day') AS day
             CROSS JOIN LATERAL business_window(day::date, b.open_time, b.close_time, b.time_zone) w
              LEFT JOIN business_daily bd ON bd.business_id = b.id AND bd.business_day = day::date
             WHERE b.active
               AND (cardinality($4::int8[]) = 0 OR b.id = ANY ($4::int8[]))
               AND ($7::bool OR w.closes + make_interval(mins => $3::int) <= $1::timestamptz)
               AND ($7::bool OR $8::bool OR bd.business_id IS NULL
                    OR EXISTS (SELECT 1 FROM status_collection sc
                                WHERE sc.business_id = b.id AND sc.slot >= w.opens AND sc.slot < w.closes
                                  AND sc.recorded_at > bd.computed_at))
             ORDER BY b.id, day
            """, [now, settings.lookbackDays, settings.readyBufferMinutes, selection.businessIDs,
                  selection.from, selection.to, selection.force, selection.isExplicit])
        var plan: [(business: Int, days: [String])] = []
        for row in rows.rows {
            let id = try row.int("business_id"), day = try row.string("business_day")
            if plan.last?.business == id { plan[plan.count - 1].days.append(day) } else { plan.append((id, [day])) }
        }
        return plan
    }
}
