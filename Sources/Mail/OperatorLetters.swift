import Foundation
import NightshiftCore

/// Letters to the operator — maintenance's reports (`maintenance.report_emails`), watch's alerts
/// (`watch.alert_emails`): one letter per subject and address through the outbox, so a rerun
/// never sends one twice and a failed one goes next run.
public struct OperatorLetters: Sendable {
    public let recipients: [MailAddress]
    let settings: MailSettings?
    /// Names the letters in logs and dead letters ("alert", "report").
    let kind: String

    /// `key` lists the addresses (comma-separated); `kind` names the letters in logs and dead letters.
    public static func load(_ config: ConfigValues, key: String, kind: String) throws -> OperatorLetters {
        let recipients = try (config.optionalString(key) ?? "").split(separator: ",").map { item in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let address = MailAddress(text) else {
                throw ConfigurationError(key: key, source: config.source(of: key),
                                         expected: "addresses separated by commas (\"\(text)\" is not one)")
            }
            return address
        }
        return OperatorLetters(recipients: recipients, settings: recipients.isEmpty ? nil : try MailSettings.load(config), kind: kind)
    }

    var step: ItemStep<MailAddress> {
        ItemStep(name: "\(kind)_mail", failureMessage: "\(kind) not mailed to the operator",
                 keys: { [kind] in ["mail:\(kind):\($0.address)"] }, label: { [kind] in "\(kind) to \($0.address)" }, isRepeatable: false)
    }

    /// Mails `body` about `about` (e.g. `health:12`) to every recipient; nothing without any.
    public func send(about: String, subject: String, body: String, context: JobContext, into summary: inout JobSummary) throws {
        guard let settings, !recipients.isEmpty else { return }
        let outbox = Outbox(db: context.db, settings: settings, logger: context.logger)
        try outbox.send(recipients, step: step, context: context, into: &summary, letter: { address in
            Outbox.Letter(about: "\(about):\(address.address)", recipient: address.address,
                          messageID: Self.messageID(about: about, to: address, settings: settings))
        }, compose: { _, letter, recipient in
            MailMessage(from: settings.from, to: [recipient], subject: subject, body: body + "\n", messageID: letter.messageID,
                        date: context.clock.now).rendered(timeZone: context.settings.timeZone)
        })
    }

    /// Mails straight over SMTP, not through the outbox: for when the database itself cannot be
    /// reached. Retried with `smtp.retry`; returns the addresses (of `addresses`, some of the
    /// recipients) not reached, with the reason.
    public func sendDirect(to addresses: [MailAddress], about: String, subject: String, body: String, date: Date, timeZone: TimeZone,
                           logger: Logger) -> [(address: String, reason: String)] {
        guard let settings else { return [] }
        let client = SMTPClient(server: settings.server)
        var missed: [(String, String)] = []
        for recipient in addresses {
            let message = MailMessage(from: settings.from, to: [recipient], subject: subject, body: body + "\n",
                                      messageID: Self.messageID(about: about, to: recipient, settings: settings),
                                      date: date).rendered(timeZone: timeZone)
            do {
                _ = try retrying(settings.retry, SMTPError.classifier) { try client.send(message, from: settings.from, to: [recipient]) }
                logger.info("mail sent directly", metadata: ["to": .string(recipient.address), "subject": .string(subject)])
            } catch {
                missed.append((recipient.address, Secrets.shared.scrub("\(error)")))
            }
        }
        return missed
    }

    /// One letter's Message-ID, the same whichever way it goes: `health:12` to ops@x → `health.12.ops.at.x@<from domain>`.
    static func messageID(about: String, to address: MailAddress, settings: MailSettings) -> String {
        "\(about.replacingOccurrences(of: ":", with: ".")).\(address.address.replacingOccurrences(of: "@", with: ".at."))@\(settings.from.domain)"
    }
}
