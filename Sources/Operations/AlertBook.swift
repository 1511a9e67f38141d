import Foundation
import NightshiftCore
import Postgres

/// The alerts' state in the database. An alert opens when its condition first appears (a
/// "fired" notice), is notified again every `repeatAfter` while it lasts ("repeated"), and closes
/// when the condition is gone (one "recovered" notice, if anything was notified). A snoozed job's
/// alerts open and close as usual but send nothing until the snooze ends.
struct AlertBook {
    let db: Connection
    let now: Date
    let repeatAfter: TimeInterval
    let webhook: Bool
    let text: AlertText

    struct Open {
        let id: Int
        let key: String
        let lastNotified: Date?
        let notices: Int
    }

    /// One transaction: the run's conditions against the open alerts. Returns the notices made.
    @discardableResult
    func apply(_ conditions: [Condition]) throws -> Int {
        let open = try db.query("SELECT id, key, last_notified_at, notices FROM alert WHERE closed_at IS NULL FOR UPDATE").rows.map {
            Open(id: try $0.int("id"), key: try $0.string("key"), lastNotified: try $0.optionalDate("last_notified_at"), notices: try $0.int("notices"))
        }
        let snoozed = Set(try db.query("SELECT job FROM alert_snooze WHERE until > $1", [now]).rows.map { try $0.string("job") })
        var made = 0
        for condition in conditions {
            let quiet = condition.job.map(snoozed.contains) ?? false
            if let alert = open.first(where: { $0.key == condition.key }) {
                try db.query("""
                    UPDATE alert SET last_seen_at = $2, summary = $3, severity = $4 WHERE id = $1
                    """, [alert.id, now, condition.summary, condition.severity.rawValue])
                guard !quiet else { continue }
                if let last = alert.lastNotified {
                    if now.timeIntervalSince(last) >= repeatAfter {
                        try notify(alert.id, .repeated, condition, count: alert.notices + 1)
                        made += 1
                    }
                } else {
                    try notify(alert.id, .fired, condition, count: 1)  // opened while snoozed
                    made += 1
                }
            } else {
                let id = try db.query("""
                    INSERT INTO alert (key, job, severity, summary, opened_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id
                    """, [condition.key, condition.job, condition.severity.rawValue, condition.summary, now]).first!.int("id")
                if !quiet {
                    try notify(id, .fired, condition, count: 1)
                    made += 1
                }
            }
        }
        let firing = Set(conditions.map(\.key))
        for alert in open where !firing.contains(alert.key) {
            let row = try db.query("""
                UPDATE alert SET closed_at = $2 WHERE id = $1 RETURNING key, job, severity, summary, opened_at
                """, [alert.id, now]).first!
            guard alert.notices > 0 else { continue }
            let condition = Condition(try row.string("key"), job: try row.optionalString("job"),
                                      Condition.Severity(rawValue: try row.string("severity")) ?? .warning, try row.string("summary"))
            try notify(alert.id, .recovered, condition, count: alert.notices + 1, openedAt: try row.date("opened_at"))
            made += 1
        }
        return made
    }

    /// An outage the watcher could only keep in its file, now the database answers again: a closed
    /// `database_unreachable` alert (for `nightshift alerts`, and to excuse what it caused) and its
    /// "recovered" notice. Once only, however often the file is found.
    func recordOutage(_ outage: DatabaseOutage, runsDue: String) throws {
        let condition = outage.condition
        let row = try db.query("""
            INSERT INTO alert (key, severity, summary, opened_at, last_seen_at, last_notified_at, notices, closed_at)
            SELECT $1, 'critical', $2, $3, $4, $5, $6, $7
             WHERE NOT EXISTS (SELECT 1 FROM alert WHERE key = $1 AND opened_at = $3)
            RETURNING id
            """, [condition.key, condition.summary, outage.since, outage.lastSeen, outage.lastNotified, outage.notices.count, now]).first
        guard let id = try row?.int("id") else { return }
        try notify(id, .recovered, condition, count: outage.notices.count + 1, openedAt: outage.since, note: runsDue)
    }

    private func notify(_ alertID: Int, _ event: AlertEvent, _ condition: Condition, count: Int, openedAt: Date? = nil,
                        note: String = "") throws {
        let (subject, text) = text.notice(event, condition, count: count, openedAt: openedAt)
        let body = note.isEmpty ? text : text + "\n" + note + "\n"
        try db.query("""
            INSERT INTO alert_notice (alert_id, event, subject, body, created_at, webhook_status) VALUES ($1, $2, $3, $4, $5, $6)
            """, [alertID, event.rawValue, subject, body, now, webhook ? "pending" : nil])
        try db.query("UPDATE alert SET last_notified_at = $2, notices = notices + 1 WHERE id = $1", [alertID, now])
    }
}
