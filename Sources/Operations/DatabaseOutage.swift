import Foundation
import NightshiftCore

/// A database outage as the watcher keeps it while the alert table is out of reach: in a file
/// beside the logs (`<log.dir>/watch-database-unreachable.json`), with the notices made and what
/// each channel has not taken yet. The first watch that reaches the database again turns it into
/// a closed `database_unreachable` alert (`AlertBook.recordOutage`) and removes the file.
struct DatabaseOutage: Codable {
    struct Notice: Codable {
        var event: AlertEvent
        var subject: String
        var body: String
        var createdAt: Date
        /// Addresses the mail has not reached yet.
        var mailPending: [String]
        var webhookPending: Bool
    }

    var database: String
    var host: String
    var since: Date
    var lastSeen: Date
    var error: String
    var notices: [Notice] = []

    var lastNotified: Date? { notices.last?.createdAt }

    var condition: Condition {
        Condition("database_unreachable", .critical, "\(database) cannot be reached from \(host): \(error)")
    }

    /// The registry's runs scheduled from a watch period before the outage was found until `end`,
    /// said in one sentence: each job catches up on its own next run, but the operator should
    /// know which nights' work came late (their "missed" alerts are not raised).
    func runsDue(_ jobs: [ScheduledJob], until end: Date, zone: TimeZone, lookBack: TimeInterval) -> String {
        let parts = jobs.compactMap { job -> String? in
            let times = job.schedule.times(after: since.addingTimeInterval(-lookBack), through: end, in: zone)
            guard let first = times.first else { return nil }
            let at = LocalTime.isoTimestamp(first, in: zone)
            return times.count == 1 ? "\(job.name) at \(at)" : "\(job.name) \(times.count) runs from \(at)"
        }
        guard !parts.isEmpty else { return "" }
        return "Scheduled while it was unreachable (each job catches up on its next run; `nightshift jobs` shows them): "
            + parts.joined(separator: ", ") + "."
    }

    static func file(in logDirectory: String) -> String { logDirectory + "/watch-database-unreachable.json" }

    static func load(_ path: String) throws -> DatabaseOutage? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try coder.decoder.decode(DatabaseOutage.self, from: data)
    }

    func save(_ path: String) throws {
        try DurableFiles.write(try Self.coder.encoder.encode(self), to: path, mode: 0o600)
    }

    private static let coder: (encoder: JSONEncoder, decoder: JSONDecoder) = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (encoder, decoder)
    }()
}

/// The watcher's alarm when the database cannot be reached: the outage's notice (fired, then
/// repeated at `watch.repeat_minutes`) mailed straight over SMTP and POSTed to the webhook, since
/// the outbox lives in the database. What a channel did not take is tried again by the next watch.
struct OutageAlarm {
    let settings: WatchSettings
    let path: String
    let zone: TimeZone
    let logger: Logger

    /// Returns what could not be delivered, one line each.
    func raise(database: String, error: String, now: Date) throws -> [String] {
        var outage = try DatabaseOutage.load(path)
            ?? DatabaseOutage(database: database, host: ProcessInfo.processInfo.hostName, since: now, lastSeen: now, error: error)
        outage.lastSeen = now
        outage.error = error
        let event: AlertEvent? = outage.lastNotified.map {
            now.timeIntervalSince($0) >= TimeInterval(settings.repeatMinutes * 60) ? .repeated : nil
        } ?? .fired
        if let event {
            let text = AlertText(now: now, database: outage.database, zone: zone)
                .notice(event, outage.condition, count: outage.notices.count + 1, openedAt: outage.since)
            outage.notices.append(DatabaseOutage.Notice(event: event, subject: text.subject, body: text.body, createdAt: now,
                                                        mailPending: settings.letters.recipients.map(\.address),
                                                        webhookPending: settings.webhookURL != nil))
        }
        // Kept before anything is sent, and again after: a kill in between sends a notice at most twice.
        try outage.save(path)
        let undelivered = deliver(&outage, now: now)
        try outage.save(path)
        return undelivered
    }

    private func deliver(_ outage: inout DatabaseOutage, now: Date) -> [String] {
        var undelivered: [String] = []
        let webhook = settings.webhookURL.map(OperatorEndpoint.init)
        for index in outage.notices.indices {
            let notice = outage.notices[index]
            let stamp = Int(notice.createdAt.timeIntervalSince1970)
            if !notice.mailPending.isEmpty {
                let missed = settings.letters.sendDirect(to: settings.letters.recipients.filter { notice.mailPending.contains($0.address) },
                                                         about: "alert:database_unreachable:\(stamp)", subject: notice.subject,
                                                         body: notice.body, date: now, timeZone: zone, logger: logger)
                outage.notices[index].mailPending = missed.map(\.address)
                undelivered += missed.map { "\(notice.event.rawValue) notice to \($0.address): \($0.reason)" }
            }
            if notice.webhookPending, let webhook {
                do {
                    try webhook.postJSON(AlertDelivery.payload(webhookNotice(notice, outage), noticeID: nil, database: outage.database))
                    outage.notices[index].webhookPending = false
                } catch {
                    undelivered.append("\(notice.event.rawValue) notice to the webhook: \(Secrets.shared.scrub("\(error)"))")
                }
            }
        }
        return undelivered
    }

    private func webhookNotice(_ notice: DatabaseOutage.Notice, _ outage: DatabaseOutage) -> AlertDelivery.Notice {
        let condition = outage.condition
        return AlertDelivery.Notice(id: 0, event: notice.event.rawValue, subject: notice.subject, body: notice.body, key: condition.key,
                                    job: nil, severity: condition.severity.rawValue, summary: condition.summary, openedAt: outage.since,
                                    closedAt: nil)
    }
}
