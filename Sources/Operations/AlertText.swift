import Foundation
import NightshiftCore

enum AlertEvent: String, Codable { case fired, repeated, recovered }

/// What a notice says: its subject and body, for mail and the webhook alike.
struct AlertText {
    let now: Date
    let database: String
    let zone: TimeZone

    func notice(_ event: AlertEvent, _ condition: Condition, count: Int, openedAt: Date?) -> (subject: String, body: String) {
        let at = LocalTime.isoTimestamp(now, in: zone)
        switch event {
        case .fired:
            return ("[nightshift] \(database): \(condition.severity.rawValue.uppercased()) \(condition.key)",
                    "\(condition.summary)\n\nSince \(at). " + snoozeHint(condition))
        case .repeated:
            return ("[nightshift] \(database): still \(condition.severity.rawValue.uppercased()) \(condition.key) (notice \(count))",
                    "\(condition.summary)\n\nStill so at \(at). " + snoozeHint(condition))
        case .recovered:
            let lasted = openedAt.map { " after \(Span.text(now.timeIntervalSince($0)))" } ?? ""
            return ("[nightshift] \(database): recovered \(condition.key)",
                    "Recovered at \(at)\(lasted). It was: \(condition.summary)\n")
        }
    }

    private func snoozeHint(_ condition: Condition) -> String {
        guard let job = condition.job else { return "Open alerts: `nightshift alerts`.\n" }
        return "Open alerts: `nightshift alerts`; to silence \(job) for a while: `nightshift alerts snooze \(job) --until TIME`.\n"
    }
}
