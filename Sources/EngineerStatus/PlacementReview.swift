import Foundation
import NightshiftCore
import Postgres

/// One night's placement review, as one set-based statement: every engineer now `working` or
/// `waiting_soon` is judged by their current assignment on today's date in the configured zone
/// (calendar dates, not 24-hour blocks) — none, or its planned end passed → `waiting`; planned end
/// within `soonDays` days → `waiting_soon`; else `working` — and each change is recorded with its
/// reason. Run twice on one day, the second changes nothing.
public struct PlacementReview {
    public struct Change: Equatable, Sendable {
        public let engineerID: Int
        public let from: String
        public let to: String
        public let reason: String
    }

    let db: Connection
    let soonDays: Int
    let timeZone: TimeZone

    /// The changes made (or, on a rehearsal, that would be made), by engineer.
    public func apply(now: Date, runID: Int64) throws -> [Change] {
        try db.query("""
            WITH today AS (SELECT ($1::timestamptz AT TIME ZONE $2::text)::date AS d),
            current_assignment AS (
                SELECT DISTINCT ON (pa.engineer_id) pa.engineer_id, pa.project_name, pa.planned_end_date
                  FROM project_assignment pa, today
                 WHERE pa.start_date <= today.d AND (pa.actual_end_date IS NULL OR pa.actual_end_date >= today.d)
                 -- the assignment that keeps the engineer busy longest (open-ended first)
                 ORDER BY pa.engineer_id, pa.planned_end_date DESC NULLS FIRST, pa.id
            ),
            judged AS (
                SELECT e.id, e.placement AS from_status,
                       CASE WHEN c.engineer_id IS NULL THEN 'waiting'
                            WHEN c.planned_end_date < t.d THEN 'waiting'
                            WHEN c.planned_end_date <= t.d + $3::int THEN 'waiting_soon'
                            ELSE 'working' END AS to_status,
                       CASE WHEN c.engineer_id IS NULL THEN 'no current assignment'
                            WHEN c.planned_end_date IS NULL THEN format('%s: open-ended', c.project_name)
                            WHEN c.planned_end_date < t.d THEN format('%s: planned end %s has passed', c.project_name, c.planned_end_date)
                            ELSE format('%s: planned end %s, in %s day(s)', c.project_name, c.planned_end_date, c.planned_end_date - t.d)
                       END AS reason
                  FROM engineer e
                 CROSS JOIN today t
                  LEFT JOIN current_assignment c ON c.engineer_id = e.id
                 WHERE e.deleted_at IS NULL AND e.placement IN ('working', 'waiting_soon')
            ),
            changed AS (
                UPDATE engineer e SET placement = j.to_status, placement_changed_at = $1
                  FROM judged j
                 WHERE e.id = j.id AND j.to_status <> j.from_status
                RETURNING e.id, j.from_status, j.to_status, j.reason
            )
            INSERT INTO engineer_status_change (engineer_id, from_status, to_status, reason, run_id, changed_at)
            SELECT id, from_status, to_status, reason, $4, $1 FROM changed
            RETURNING engineer_id, from_status, to_status, reason
            """, [now, timeZone.identifier, soonDays, Int(runID)]).rows.map {
            Change(engineerID: try $0.int("engineer_id"), from: try $0.string("from_status"), to: try $0.string("to_status"),
                   reason: try $0.string("reason"))
        }.sorted { $0.engineerID < $1.engineerID }
    }

    /// How many engineers the review judges (working or waiting_soon, not deleted).
    public func judged() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM engineer WHERE deleted_at IS NULL AND placement IN ('working', 'waiting_soon')
            """).first!.int("n")
    }
}
