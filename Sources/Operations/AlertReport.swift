import Foundation
import NightshiftCore
import Postgres

/// `nightshift alerts`: the open alerts and the recently closed, and snoozes.
public enum AlertReport {
    public static let columns = ["id", "key", "severity", "state", "opened_at", "closed_at", "notices", "snoozed_until", "summary"]

    /// Open alerts first (most severe, oldest), then those closed in the last `days` days.
    public static func rows(_ db: Connection, now: Date, days: Int) throws -> QueryResult {
        try db.query("""
            SELECT a.id, a.key, a.severity, CASE WHEN a.closed_at IS NULL THEN 'open' ELSE 'closed' END AS state,
                   a.opened_at, a.closed_at, a.notices, s.until AS snoozed_until, a.summary
              FROM alert a LEFT JOIN alert_snooze s ON s.job = a.job AND s.until > $1
             WHERE a.closed_at IS NULL OR a.closed_at > $1::timestamptz - make_interval(days => $2)
             ORDER BY a.closed_at IS NOT NULL, a.severity = 'warning', a.opened_at DESC
            """, [now, days])
    }

    /// Silences a job's alerts until `until` (they still open and close; nothing is sent).
    public static func snooze(_ db: Connection, job: String, until: Date) throws {
        try db.query("""
            INSERT INTO alert_snooze (job, until) VALUES ($1, $2) ON CONFLICT (job) DO UPDATE SET until = EXCLUDED.until, created_at = now()
            """, [job, until])
    }

    public static func unsnooze(_ db: Connection, job: String) throws -> Bool {
        try db.query("DELETE FROM alert_snooze WHERE job = $1", [job]).affectedRows > 0
    }
}
