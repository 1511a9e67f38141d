import Foundation

/// Where and how to submit mail: `smtp://host:port` (plain, or upgraded with STARTTLS) or
/// `smtps://host:port` (TLS from the first byte), optional login, time limits.
public struct SMTPServer: Sendable {
    public enum StartTLS: String, Sendable, CaseIterable {
        /// Refuse to send unless the server upgrades the connection.
        case required
        /// Upgrade when the server offers it.
        case optional
        /// Never upgrade (a local relay or test sink).
        case off
    }

    public var url: String
    public var startTLS: StartTLS
    public var username: String?
    public var password: String?
    public var connectTimeoutSeconds: Double
    public var timeoutSeconds: Double
    /// A CA bundle for a private certificate authority; the system's when nil.
    public var caFile: String?

    public init(url: String, startTLS: StartTLS = .required, username: String? = nil, password: String? = nil,
                connectTimeoutSeconds: Double = 10, timeoutSeconds: Double = 60, caFile: String? = nil) {
        self.url = url
        self.startTLS = startTLS
        self.username = username
        self.password = password
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.timeoutSeconds = timeoutSeconds
        self.caFile = caFile
    }

    /// Whether `url` is an `smtp://` or `smtps://` URL with a host and no credentials in it.
    public static func isValidURL(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              ["smtp", "smtps"].contains(scheme), let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil else { return false }
        return true
    }
}

/// A failed submission. `isTransient` says whether trying again later may succeed: connection
/// problems, time-outs and 4xx replies are; 5xx replies (a rejected recipient, a refused login)
/// are not.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// The server's last reply code, 0 when none came.
    public let replyCode: Int
    public let isTransient: Bool
    /// The server could not be reached at all: the next message will not fare better.
    public let isUnreachable: Bool

    public var description: String { message }

    /// A failure of the server or of our standing with it (unreachable, closing, login refused,
    /// TLS not possible) rather than of one message: the next message would fail the same way.
    public var affectsEveryMessage: Bool {
        isUnreachable || [421, 454, 530, 534, 535, 538].contains(replyCode) || (replyCode == 0 && !isTransient)
    }
}
