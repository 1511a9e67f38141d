import Foundation
import NightshiftCore
import Postgres

/// One queued notification as a run holds it.
public struct QueuedNotification: Sendable {
    public let id: Int
    public let channel: String
    public let recipient: String
    public let template: String
    /// The template's values (the application's JSON object).
    public let params: String
    /// Attempts before this one.
    public let attempts: Int
}

/// The `notification` table as `notify` works it: due rows claimed for this run (FOR UPDATE SKIP
/// LOCKED: two runs never claim one row; a claim older than the lease is a dead run's and is
/// taken over), each attempt recorded, then delivered, put back for later, or given up.
struct NotificationQueue {
    let db: Connection
    let runID: Int64
    let leaseSeconds: Int

    /// Due at the time in parameter `now` (e.g. `$2`): queued and its time come, or claimed by a
    /// run whose lease has run out.
    static func due(at now: String) -> String {
        "(status = 'queued' AND due_at <= \(now)) OR (status = 'claimed' AND claimed_until < \(now))"
    }

    func claim(limit: Int, now: Date) throws -> [QueuedNotification] {
        try db.query("""
            UPDATE notification n SET status = 'claimed', claimed_by = $1, claimed_until = $2::timestamptz + make_interval(secs => $3)
             WHERE n.id IN (SELECT id FROM notification WHERE \(Self.due(at: "$2"))
                             ORDER BY due_at, id LIMIT $4
                             FOR UPDATE SKIP LOCKED)
            RETURNING n.id, n.channel, n.recipient, n.template, n.params::text AS params, n.attempts
            """, [Int(runID), now, leaseSeconds, limit]).rows.map {
            QueuedNotification(id: try $0.int("id"), channel: try $0.string("channel"), recipient: try $0.string("recipient"),
                               template: try $0.string("template"), params: try $0.string("params"), attempts: try $0.int("attempts"))
        }.sorted { $0.id < $1.id }
    }

    func delivered(_ notification: QueuedNotification, subject: String, body: String, at now: Date) throws {
        try db.transaction {
            try attempt(notification, ok: true, error: nil, at: now)
            try db.query("""
                UPDATE notification SET status = 'delivered', delivered_at = $2, attempts = attempts + 1, subject = $3, body = $4,
                       last_error = NULL, claimed_until = NULL WHERE id = $1
                """, [notification.id, now, subject, body])
        }
    }

    /// A transient failure: queued again for `retryAt`.
    func retryLater(_ notification: QueuedNotification, error: String, at now: Date, retryAt: Date) throws {
        try db.transaction {
            try attempt(notification, ok: false, error: error, at: now)
            try db.query("""
                UPDATE notification SET status = 'queued', due_at = $2, attempts = attempts + 1, last_error = $3,
                       claimed_by = NULL, claimed_until = NULL WHERE id = $1
                """, [notification.id, retryAt, error])
        }
    }

    /// Given up (`failed`), or never to be tried (`rejected`: a channel notify does not have).
    func giveUp(_ notification: QueuedNotification, status: String, error: String, at now: Date, attempted: Bool) throws {
        try db.transaction {
            if attempted { try attempt(notification, ok: false, error: error, at: now) }
            try db.query("""
                UPDATE notification SET status = $2, attempts = attempts + $3, last_error = $4, claimed_until = NULL WHERE id = $1
                """, [notification.id, status, attempted ? 1 : 0, error])
        }
    }

    /// On a stop signal: this run's claims not yet worked go back to the queue at once.
    func release() throws {
        try db.query("""
            UPDATE notification SET status = 'queued', claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND status = 'claimed'
            """, [Int(runID)])
    }

    private func attempt(_ notification: QueuedNotification, ok: Bool, error: String?, at now: Date) throws {
        try db.query("""
            INSERT INTO notification_attempt (notification_id, run_id, attempted_at, ok, error) VALUES ($1, $2, $3, $4, $5)
            """, [notification.id, Int(runID), now, ok, error])
    }
}
