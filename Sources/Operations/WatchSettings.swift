import Foundation
import Mail
import NightshiftCore

/// `watch.*` (env `WATCH_*`).
public struct WatchSettings: Sendable {
    /// Where alert notices are mailed (through the outbox); none: no mail.
    public var letters: OperatorLetters
    /// Each notice is POSTed here as JSON (a Slack-compatible `text` field); nil: no webhook.
    public var webhookURL: String?
    /// Called (GET) after every watch that ran to the end, for a check outside (healthchecks.io).
    public var heartbeatURL: String?
    /// An alert still firing is notified again after this many minutes.
    public var repeatMinutes: Int
    public var deadLetterThreshold: Int
    public var notifyBacklogThreshold: Int
    public var backupMaxAgeHours: Int
    /// Condition keys (or their prefixes before `:`) not evaluated, e.g. `backup_age` on a host
    /// that keeps no backups.
    public var skip: Set<String>
    var collectionBufferMinutes: Int
    /// nil when `backup_age` is skipped.
    var backupDirectory: String?

    public static func load(_ config: ConfigValues) throws -> WatchSettings {
        let skip = Set(try (config.optionalString("watch.skip") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        return WatchSettings(
            letters: try OperatorLetters.load(config, key: "watch.alert_emails", kind: "alert"),
            webhookURL: try config.optionalHTTPURL("watch.webhook_url"),
            heartbeatURL: try config.optionalHTTPURL("watch.heartbeat_url"),
            repeatMinutes: try config.int("watch.repeat_minutes", default: 240, range: 5...10_080),
            deadLetterThreshold: try config.int("watch.dead_letter_threshold", default: 50, range: 0...1_000_000),
            notifyBacklogThreshold: try config.int("watch.notify_backlog_threshold", default: 1000, range: 0...100_000_000),
            backupMaxAgeHours: try config.int("watch.backup_max_age_hours", default: 26, range: 1...8760),
            skip: skip,
            collectionBufferMinutes: try config.int("status_collection.buffer_minutes", default: 30, range: 0...240),
            backupDirectory: skip.contains("backup_age") ? nil : try config.string("backup.dir", default: "backups"))
    }

    func skips(_ condition: Condition) -> Bool {
        skip.contains(condition.key) || skip.contains(String(condition.key.split(separator: ":").first ?? ""))
    }
}

extension ConfigValues {
    /// An optional http(s) URL of the operator's (empty: none); anything else is a configuration
    /// error naming the key.
    func optionalHTTPURL(_ key: String, expected: String = "an http(s) URL") throws -> String? {
        guard let text = try optionalString(key), !text.isEmpty else { return nil }
        guard let scheme = URLComponents(string: text)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw ConfigurationError(key: key, source: source(of: key), expected: expected)
        }
        return text
    }
}
