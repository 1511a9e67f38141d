import Foundation
import Mail
import NightshiftCore
import Postgres

/// `notify` (every minute, on any number of hosts at once): drains the notification queue —
/// claims due notifications, renders them from `templates/notify/`, mails the email ones through
/// the outbox (once each, whichever run sends it), marks in-app ones delivered; a transient failure
/// is retried later with backoff, and dead-lettered after `notify.max_attempts`.
public struct NotifyJob: Job {
    public struct Options: Sendable {
        public init() {}
    }

    public static let name = "notify"
    public static var runsConcurrently: Bool { true }
    let settings: NotifySettings

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        settings = try NotifySettings.load(config)
    }

    /// Why a notification was not delivered and will not be tried again by this run.
    struct NotDelivered: Error, CustomStringConvertible {
        let description: String
    }

    static let step = ItemStep<QueuedNotification>(
        name: "notify", failureMessage: "notification not delivered", keys: { ["notification:\($0.id)"] },
        label: { "notification \($0.id) (\($0.channel) to \($0.recipient))" },
        fields: { ["notification_id": .int($0.id), "channel": .string($0.channel)] }, isRepeatable: false)

    public func run(_ context: JobContext) throws -> JobSummary {
        if context.isDryRun { return try rehearse(context) }
        let queue = NotificationQueue(db: context.db, runID: context.runID!, leaseSeconds: settings.leaseSeconds)
        let outbox = Outbox(db: context.db, settings: settings.mail, logger: context.logger)
        var summary = JobSummary()
        var outcomes: [String: Int] = [:]
        do {
            while true {
                let claimed = try context.unitOfWork("claim notifications") { try queue.claim(limit: settings.batchSize, now: context.clock.now) }
                if claimed.isEmpty { break }
                try context.run(Self.step, claimed, into: &summary) { notification in
                    outcomes[try deliver(notification, queue: queue, outbox: outbox, context: context), default: 0] += 1
                }
            }
        } catch let stop as Interrupted {
            try? queue.release()
            throw stop
        }
        for (outcome, count) in outcomes { summary.metadata[outcome] = .int(count) }
        summary.message = "\(outcomes["delivered"] ?? 0) delivered, \(outcomes["retry_later"] ?? 0) to retry, \(summary.itemsFailed) not delivered"
        return summary
    }

    /// One notification: "delivered" or "retry_later"; throws when it is given up or rejected.
    func deliver(_ notification: QueuedNotification, queue: NotificationQueue, outbox: Outbox, context: JobContext) throws -> String {
        let now = context.clock.now
        func giveUp(_ status: String, _ reason: String, attempted: Bool = false) throws -> Never {
            try queue.giveUp(notification, status: status, error: reason, at: now, attempted: attempted)
            throw NotDelivered(description: reason)
        }
        guard NotifySettings.channels.contains(notification.channel) else {
            try giveUp("rejected", "channel \"\(notification.channel)\" is not supported (\(NotifySettings.channels.joined(separator: ", ")))")
        }
        let (subject, body): (String, String)
        do {
            (subject, body) = try render(notification)
        } catch {
            try giveUp("failed", "\(error)")
        }
        if notification.channel == "in_app" {
            try queue.delivered(notification, subject: subject, body: body, at: now)
            return "delivered"
        }
        guard let address = MailAddress(notification.recipient) else {
            try giveUp("failed", "\"\(notification.recipient)\" is not an email address")
        }
        let letter = Outbox.Letter(about: "notification:\(notification.id)", recipient: address.address,
                                   messageID: "notification.\(notification.id)@\(settings.mail.from.domain)")
        // Nothing pending: a run that died after sending it did send it.
        if let posted = try outbox.post([letter])[letter.about] {
            do {
                try outbox.deliver(posted) { recipient in
                    MailMessage(from: settings.mail.from, to: [recipient], subject: subject, body: body + "\n", messageID: posted.messageID,
                                date: now).rendered(timeZone: context.settings.timeZone)
                }
            } catch let notSent as Outbox.NotSent {
                let attempts = notification.attempts + 1
                guard notSent.isTransient, attempts < settings.maxAttempts else {
                    try giveUp("failed", "\(notSent) (attempt \(attempts) of \(settings.maxAttempts))", attempted: true)
                }
                try queue.retryLater(notification, error: Secrets.shared.scrub(notSent.reason), at: now,
                                     retryAt: now.addingTimeInterval(settings.backoff(afterAttempt: attempts)))
                context.logger.warning("notification not sent, retrying later", metadata: [
                    "notification_id": .int(notification.id), "attempt": .int(attempts), "reason": .string(Secrets.shared.scrub(notSent.reason))])
                return "retry_later"
            }
        }
        try queue.delivered(notification, subject: subject, body: body, at: now)
        return "delivered"
    }

    func render(_ notification: QueuedNotification) throws -> (subject: String, body: String) {
        let names = ["\(notification.template)_subject", "\(notification.template)_body"]
        guard names.allSatisfy(settings.templates.has) else {
            throw NotDelivered(description: "no template \"\(notification.template)\" (\(settings.templates.directory)/\(names[0]).mustache and _body)")
        }
        guard let values = try? JSONSerialization.jsonObject(with: Data(notification.params.utf8)) as? [String: Any] else {
            throw NotDelivered(description: "params are not a JSON object")
        }
        return (settings.templates.render(names[0], values), settings.templates.render(names[1], values))
    }

    /// `--dry-run`: what is due, claimed by nobody, sent nowhere.
    func rehearse(_ context: JobContext) throws -> JobSummary {
        let rows = try context.db.query("""
            SELECT id, channel, recipient, template FROM notification WHERE \(NotificationQueue.due(at: "$1")) ORDER BY due_at, id
            """, [context.clock.now]).rows
        for row in rows {
            context.report("\(try row.int("id"))\t\(try row.string("channel"))\t\(try row.string("recipient"))\t\(try row.string("template"))")
        }
        return JobSummary(itemsOK: rows.count, message: "\(rows.count) notification(s) due")
    }
}
