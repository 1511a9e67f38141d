import Foundation
import Mail
import NightshiftCore
import Postgres

/// Sends what the alert book wrote: each notice mailed to the operator through the outbox, and
/// POSTed to the webhook as JSON. A notice that does not go stays pending and goes on a later run;
/// a week-old one is given up (the alert's state says what is still true).
struct AlertDelivery {
    let settings: WatchSettings
    let context: JobContext
    let database: String

    struct Notice {
        let id: Int
        let event: String
        let subject: String
        let body: String
        let key: String
        let job: String?
        let severity: String
        let summary: String
        let openedAt: Date
        let closedAt: Date?
    }

    static let webhookStep = ItemStep<Notice>(name: "webhook", failureMessage: "alert notice not delivered to the webhook",
                                               keys: { ["webhook:notice:\($0.id)"] }, label: { "notice \($0.id) (\($0.key)) to the webhook" },
                                               isRepeatable: false)

    func deliver(into summary: inout JobSummary) throws {
        let since = context.clock.now.addingTimeInterval(-7 * 86_400)
        if !settings.letters.recipients.isEmpty {
            // Not posted yet, or a letter still pending.
            let unmailed = try notices(where: """
                (NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.about LIKE 'alert-notice:' || n.id || ':%')
                 OR EXISTS (SELECT 1 FROM mail_outbox m WHERE m.about LIKE 'alert-notice:' || n.id || ':%' AND m.status = 'pending'))
                """, since: since)
            for notice in unmailed {
                try settings.letters.send(about: "alert-notice:\(notice.id)", subject: notice.subject, body: notice.body,
                                          context: context, into: &summary)
            }
        }
        guard let url = settings.webhookURL else { return }
        let pending = try notices(where: "n.webhook_status = 'pending'", since: since)
        let webhook = OperatorEndpoint(url)
        try context.run(Self.webhookStep, pending, into: &summary) { notice in
            do {
                try webhook.postJSON(Self.payload(notice, noticeID: notice.id, database: database))
            } catch {
                try context.db.query("UPDATE alert_notice SET webhook_attempts = webhook_attempts + 1, webhook_error = $2 WHERE id = $1",
                                     [notice.id, Secrets.shared.scrub("\(error)")])
                throw error
            }
            try context.db.query("""
                UPDATE alert_notice SET webhook_status = 'sent', webhook_sent_at = now(), webhook_attempts = webhook_attempts + 1,
                       webhook_error = NULL WHERE id = $1
                """, [notice.id])
        }
    }

    /// Slack-compatible (`text`), with the alert's fields for anything else.
    static func payload(_ notice: Notice, noticeID: Int?, database: String) -> [UInt8] {
        var alert: [String: Any] = ["key": notice.key, "severity": notice.severity, "summary": notice.summary, "event": notice.event,
                                    "opened_at": LocalTime.isoTimestamp(notice.openedAt, in: TimeZone(identifier: "UTC")!)]
        alert["job"] = notice.job
        alert["closed_at"] = notice.closedAt.map { LocalTime.isoTimestamp($0, in: TimeZone(identifier: "UTC")!) }
        var object: [String: Any] = ["text": notice.subject + "\n" + notice.body, "database": database, "alert": alert]
        object["notice_id"] = noticeID
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    private func notices(where condition: String, since: Date) throws -> [Notice] {
        try context.db.query("""
            SELECT n.id, n.event, n.subject, n.body, a.key, a.job, a.severity, a.summary, a.opened_at, a.closed_at
              FROM alert_notice n JOIN alert a ON a.id = n.alert_id
             WHERE n.created_at > $1 AND \(condition)
             ORDER BY n.id
            """, [since]).rows.map {
            Notice(id: try $0.int("id"), event: try $0.string("event"), subject: try $0.string("subject"), body: try $0.string("body"),
                   key: try $0.string("key"), job: try $0.optionalString("job"), severity: try $0.string("severity"),
                   summary: try $0.string("summary"), openedAt: try $0.date("opened_at"), closedAt: try $0.optionalDate("closed_at"))
        }
    }
}
