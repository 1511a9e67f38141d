import Foundation
import NightshiftCore

/// `smtp.*` (env `SMTP_*`): the server every mail of the suite is submitted to, the sender, and
/// how often a transient failure is tried again. Read only when mail is to be sent.
public struct MailSettings: Sendable {
    public var server: SMTPServer
    public var from: MailAddress
    public var retry: RetryPolicy

    public init(server: SMTPServer, from: MailAddress, retry: RetryPolicy = MailSettings.retryDefaults) {
        self.server = server
        self.from = from
        self.retry = retry
    }

    public static let retryDefaults = RetryPolicy(backoff: .exponential, maxAttempts: 4, baseDelaySeconds: 2,
                                           maxDelaySeconds: 30, jitter: 0.2)

    public static func load(_ config: ConfigValues) throws -> MailSettings {
        let url = try config.requiredString("smtp.url")
        guard SMTPServer.isValidURL(url) else {
            throw ConfigurationError(key: "smtp.url", source: config.source(of: "smtp.url"),
                                     expected: "smtp://host[:port] or smtps://host[:port], without credentials (use smtp.username and smtp.password)")
        }
        let fromAddress = try config.requiredString("smtp.from")
        guard let from = MailAddress(fromAddress, displayName: try config.optionalString("smtp.from_name")) else {
            throw ConfigurationError(key: "smtp.from", source: config.source(of: "smtp.from"),
                                     expected: "one address like billing@example.com (smtp.from_name holds the display name)")
        }
        let password = try config.optionalString("smtp.password")
        Secrets.shared.register(password)
        let username = try config.optionalString("smtp.username")
        if password != nil && username == nil {
            throw ConfigurationError(key: "smtp.username", source: config.source(of: "smtp.username"),
                                     expected: "a login name, since smtp.password is set")
        }
        let startTLS = SMTPServer.StartTLS(rawValue: try config.choice("smtp.starttls", default: "required",
                                                                        among: SMTPServer.StartTLS.allCases.map(\.rawValue)))!
        let server = SMTPServer(url: url, startTLS: startTLS, username: username, password: password,
                                connectTimeoutSeconds: Double(try config.int("smtp.connect_timeout_seconds", default: 10, range: 1...300)),
                                timeoutSeconds: Double(try config.int("smtp.timeout_seconds", default: 60, range: 1...3600)),
                                caFile: try config.optionalString("smtp.ca_file"))
        return MailSettings(server: server, from: from,
                            retry: try RetryPolicy.load(from: config, prefix: "smtp.retry", defaults: retryDefaults))
    }
}
