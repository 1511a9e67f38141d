import Foundation
import Postgres

/// Which local days to aggregate.
public struct UsagePlan {
    /// An explicit range (`--date`, `--from/--to`): its days are recomputed even if done before.
    public struct Selection: Sendable {
        public var from: String?
        public var to: String?
        public init() {}
        var isExplicit: Bool { from != nil || to != nil }
    }

    /// Finished days (YYYY-MM-DD), oldest first. Without a range: every day since the oldest
    /// active company was created (at most `lookbackDays` back) that has no system-wide row yet;
    /// that row is written last in a day's transaction, so a day is either complete or absent.
    public static func days(_ db: Connection, now: Date, selection: Selection, settings: UsageSettings) throws -> [String] {
        try db.query("""
            WITH today AS (SELECT ($1::timestamptz AT TIME ZONE $2::text)::date AS d)
            SELECT day::date::text AS day
              FROM today CROSS JOIN LATERAL generate_series(
                   coalesce($4::date, greatest(today.d - $3::int,
                            coalesce((SELECT min((created_at AT TIME ZONE $2::text)::date) FROM company WHERE active), today.d))),
                   coalesce($5::date, today.d - 1), interval '1 day') AS day
             WHERE (day::date + 1)::timestamp AT TIME ZONE $2::text <= $1::timestamptz
               AND ($6::bool OR NOT EXISTS (SELECT 1 FROM usage_log l WHERE l.company_id IS NULL AND l.usage_date = day::date))
             ORDER BY 1
            """, [now, settings.timeZone.identifier, settings.lookbackDays, selection.from, selection.to,
                  selection.isExplicit]).rows.map { try $0.string("day") }
    }
}
