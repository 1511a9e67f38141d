import Foundation
import NightshiftCore
import Postgres

/// The suite's mail, sent exactly once as far as SMTP allows. A letter is posted before its first
/// attempt: a `mail_outbox` row, keyed by what it is about, commits its recipient and Message-ID
/// as `pending`. The row says `sent` first thing after the server accepted the message, so a rerun
/// never sends a sent letter again, and one interrupted in between goes again under the same
/// Message-ID. (A kill between the server storing the message and its reply reaching us can still
/// send it twice: SMTP has no way to close that window, RFC 1047.) A transient failure is retried
/// with `smtp.retry`; when the server itself fails, the rest of the run's letters are not tried.
public final class Outbox {
    /// One message: what it is about (`invoice:42`, unique in the outbox), to whom, under which ID.
    public struct Letter: Sendable, Equatable {
        public var about: String
        public var recipient: String
        public var messageID: String

        public init(about: String, recipient: String, messageID: String) {
            (self.about, self.recipient, self.messageID) = (about, recipient, messageID)
        }
    }

    /// A letter that did not go out this time; it stays pending for the next run.
    public struct NotSent: AttemptedError, CustomStringConvertible {
        public let attempts: Int
        public let reason: String
        /// Worth another try later (the server or the network failed, a 4xx), as against a
        /// message the server refused for good (a 5xx) or could not compose.
        public var isTransient = false
        public var description: String { reason }
    }

    let db: Connection
    let settings: MailSettings
    let logger: Logger
    private let client: SMTPClient
    /// Set when the server itself failed: the letters after it are recorded unsent without trying.
    private var serverFailure: String?

    public init(db: Connection, settings: MailSettings, logger: Logger) {
        self.db = db
        self.settings = settings
        self.logger = logger
        client = SMTPClient(server: settings.server)
    }

    /// The condition "not sent yet" for a query that left-joins `mail_outbox` as `alias`.
    public static func unsent(_ alias: String) -> String { "(\(alias).status IS NULL OR \(alias).status = 'pending')" }

    /// Commits a pending row for each letter the outbox does not hold yet, and returns the pending
    /// ones by `about` — a letter posted by an interrupted run with its first recipient and
    /// Message-ID; a letter already sent is not returned, so it cannot be delivered again.
    public func post(_ letters: [Letter]) throws -> [String: Letter] {
        try db.query("""
            INSERT INTO mail_outbox (about, recipient, message_id, status)
            SELECT about, recipient, message_id, 'pending' FROM unnest($1::text[], $2::text[], $3::text[]) AS x(about, recipient, message_id)
            ON CONFLICT (about) DO NOTHING
            """, [letters.map(\.about), letters.map(\.recipient), letters.map(\.messageID)])
        var held: [String: Letter] = [:]
        for row in try db.query("""
            SELECT about, recipient, message_id FROM mail_outbox WHERE about = ANY ($1::text[]) AND status = 'pending'
            """, [letters.map(\.about)]).rows {
            let letter = Letter(about: try row.string("about"), recipient: try row.string("recipient"), messageID: try row.string("message_id"))
            held[letter.about] = letter
        }
        return held
    }

    /// Sends a posted letter; `compose` gives the message's bytes for its parsed recipient. Throws
    /// `NotSent` (an item's failure) after recording the attempts and the error on the row; a
    /// database error recording the acceptance is thrown as it is (the row stays pending).
    public func deliver(_ letter: Letter, compose: (MailAddress) throws -> [UInt8]) throws {
        if let serverFailure { try notSent(letter, attempts: 0, "not sent: \(serverFailure)", transient: true) }
        guard let recipient = MailAddress(letter.recipient) else {
            try notSent(letter, attempts: 0, "the address \"\(letter.recipient)\" is not a valid email address")
        }
        let bytes: [UInt8]
        do { bytes = try compose(recipient) } catch { try notSent(letter, attempts: 0, "\(error)") }
        let classifier = SMTPError.classifier
        let logger = logger
        let attempts: Int
        do {
            (_, attempts) = try retrying(settings.retry, classifier, onRetry: { attempt, error, delay in
                logger.warning("mail not accepted, trying again", error: error,
                               metadata: ["about": .string(letter.about), "attempt": .int(attempt), "delay_ms": .int(Int(delay * 1000))])
            }) { try client.send(bytes, from: settings.from, to: [recipient]) }
        } catch let exhausted as RetryExhausted {
            let smtp = exhausted.underlying as? SMTPError
            if let smtp, smtp.affectsEveryMessage {
                serverFailure = "\(settings.server.url): \(smtp)"
            }
            try notSent(letter, attempts: exhausted.attempts, "\(exhausted)", transient: smtp?.isTransient ?? false)
        } catch {
            try notSent(letter, attempts: 1, "\(error)", transient: (error as? SMTPError)?.isTransient ?? false)
        }
        // First thing after the server's "250": the row says sent, so a kill from here on cannot
        // send it again.
        try db.query("""
            UPDATE mail_outbox SET status = 'sent', sent_at = now(), attempts = attempts + $2, last_error = NULL
             WHERE about = $1 AND status = 'pending'
            """, [letter.about, attempts])
        logger.info("mail sent",
                    metadata: ["about": .string(letter.about), "message_id": .string(letter.messageID), "attempts": .int(attempts)])
    }

    private func notSent(_ letter: Letter, attempts: Int, _ reason: String, transient: Bool = false) throws -> Never {
        try db.query("UPDATE mail_outbox SET attempts = attempts + $2, last_error = $3 WHERE about = $1 AND status = 'pending'",
                     [letter.about, attempts, Secrets.shared.scrub(reason)])
        throw NotSent(attempts: attempts, reason: reason, isTransient: transient)
    }
}

extension SMTPError {
    /// Retry what the server or the network may get over (a 4xx, a dropped connection).
    public static let classifier = RetryClassifier(isTransient: { ($0 as? SMTPError)?.isTransient ?? false })
}
