import Documents
import Foundation
import Mail
import NightshiftCore

/// `notify.*` (env `NOTIFY_*`), the mail settings and the templates (`templates/notify/`).
public struct NotifySettings {
    /// Notifications claimed at a time: small enough that a batch is done well inside the lease.
    public var batchSize: Int
    /// Attempts before a notification that keeps failing transiently is given up (dead-lettered).
    public var maxAttempts: Int
    /// The wait before attempt n+1 is base × 2^(n−1), at most `backoffMaxSeconds`.
    public var backoffBaseSeconds: Int
    public var backoffMaxSeconds: Int
    /// A claim older than this is a dead run's: another run takes the notification over.
    public var leaseSeconds: Int
    public var mail: MailSettings
    public var templates: TextTemplates

    public static let channels = ["email", "in_app"]

    public static func load(_ config: ConfigValues) throws -> NotifySettings {
        NotifySettings(
            batchSize: try config.int("notify.batch_size", default: 50, range: 1...1000),
            maxAttempts: try config.int("notify.max_attempts", default: 5, range: 1...50),
            backoffBaseSeconds: try config.int("notify.backoff_base_seconds", default: 60, range: 1...86_400),
            backoffMaxSeconds: try config.int("notify.backoff_max_seconds", default: 3600, range: 1...604_800),
            leaseSeconds: try config.int("notify.lease_seconds", default: 300, range: 30...86_400),
            mail: try MailSettings.load(config),
            templates: try TextTemplates(kind: "notify", config: config))
    }

    /// The wait after the `attempts`-th failed attempt.
    public func backoff(afterAttempt attempts: Int) -> TimeInterval {
        TimeInterval(min(backoffMaxSeconds, backoffBaseSeconds << min(max(attempts - 1, 0), 20)))
    }
}
