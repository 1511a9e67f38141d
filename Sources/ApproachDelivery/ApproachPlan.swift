import Foundation
import NightshiftCore
import Postgres

/// The approaches due now and, for one of them, its period and the engineers it goes to: the
/// latest scheduled time at or before now (a week of missed runs is one delivery, not seven),
/// the engineers matching its criteria now, minus its exclusion list, minus those it went to
/// in a delivery between its previous scheduled time and this one (after a schedule change).
/// The next time is then the first scheduled time after now — from the schedule, so late runs
/// do not drift it.
struct ApproachPlan {
    struct Due: Sendable {
        let id: Int
        let name: String
        let subjectTemplate: String
        let bodyTemplate: String
    }

    let db: Connection
    let now: Date

    func due() throws -> [Due] {
        try db.query("""
            SELECT id, name, subject_template, body_template FROM approach a
             WHERE a.active AND coalesce(a.next_delivery_at, approach_next(a, a.created_at)) <= $1
             ORDER BY id
            """, [now]).rows.map {
            Due(id: try $0.int("id"), name: try $0.string("name"), subjectTemplate: try $0.string("subject_template"),
                bodyTemplate: try $0.string("body_template"))
        }
    }

    static let matching = """
        SELECT coalesce(array_agg(e.id ORDER BY e.id), '{}') FROM engineer e
         WHERE e.deleted_at IS NULL AND e.status = 'active' AND e.email IS NOT NULL
           AND e.placement = ANY (a.placements) AND e.skills @> a.skills AND e.experience_years >= a.min_years
           AND NOT EXISTS (SELECT 1 FROM approach_exclusion x WHERE x.approach_id = a.id AND x.engineer_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM approach_delivery d
                            WHERE d.approach_id = a.id AND e.id = ANY (d.engineers)
                              AND d.period_at > approach_previous(a, p.period - interval '1 microsecond') AND d.period_at < p.period)
        """

    /// Records the delivery of `approach`'s current period (once: a rerun finds it made) and
    /// advances its next time. Returns the period and how many engineers it goes to.
    func deliver(_ approach: Due, runID: Int64) throws -> (period: Date, engineers: Int) {
        try db.transaction {
            let period = try db.query("SELECT approach_previous(a, $2) AS period FROM approach a WHERE id = $1", [approach.id, now])
                .first!.date("period")
            try db.query("""
                INSERT INTO approach_delivery (approach_id, period_at, engineers, run_id, created_at)
                SELECT a.id, p.period, (\(Self.matching)), $3, $4
                  FROM approach a CROSS JOIN (SELECT $2::timestamptz AS period) p
                 WHERE a.id = $1
                ON CONFLICT (approach_id, period_at) DO NOTHING
                """, [approach.id, period, Int(runID), now])
            try db.query("UPDATE approach a SET next_delivery_at = approach_next(a, $2) WHERE id = $1", [approach.id, now])
            let engineers = try db.query("SELECT cardinality(engineers) AS n FROM approach_delivery WHERE approach_id = $1 AND period_at = $2",
                                         [approach.id, period]).first!.int("n")
            return (period, engineers)
        }
    }

    /// What `deliver` would record, written nowhere (`--dry-run`).
    func rehearse(_ approach: Due) throws -> (period: Date, engineers: Int, next: Date) {
        let row = try db.query("""
            SELECT p.period, cardinality((\(Self.matching))) AS engineers, approach_next(a, $2) AS next
              FROM approach a CROSS JOIN LATERAL (SELECT approach_previous(a, $2) AS period) p
             WHERE a.id = $1
            """, [approach.id, now]).first!
        return (try row.date("period"), try row.int("engineers"), try row.date("next"))
    }
}
