import Foundation
import Mail
import NightshiftCore

/// Letters to the operator — maintenance's reports (`maintenance.report_emails`), watch's alerts
/// (`watch.alert_emails`): one letter per subject and address through the outbox, so a rerun
/// never sends one twice and a failed one goes next run.
public struct OperatorLetters: Sendable {
    public let recipients: [MailAddress]
    let settings: MailSettings?
    let step: ItemStep<MailAddress>

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
        let step = ItemStep<MailAddress>(name: "\(kind)_mail", failureMessage: "\(kind) not mailed to the operator",
                                         keys: { ["mail:\(kind):\($0.address)"] }, label: { "\(kind) to \($0.address)" },
                                         isRepeatable: false)
        return OperatorLetters(recipients: recipients, settings: recipients.isEmpty ? nil : try MailSettings.load(config), step: step)
    }

    /// Mails `body` about `about` (e.g. `health:12`) to every recipient; nothing without any.
    public func send(about: String, subject: String, body: String, context: JobContext, into summary: inout JobSummary) throws {
        guard let settings, !recipients.isEmpty else { return }
        let outbox = Outbox(db: context.db, settings: settings, logger: context.logger)
        try outbox.send(recipients, step: step, context: context, into: &summary, letter: { address in
            Outbox.Letter(about: "\(about):\(address.address)", recipient: address.address,
                          messageID: "\(about.replacingOccurrences(of: ":", with: ".")).\(address.address.replacingOccurrences(of: "@", with: ".at."))@\(settings.from.domain)")
        }, compose: { _, letter, recipient in
            MailMessage(from: settings.from, to: [recipient], subject: subject, body: body + "\n", messageID: letter.messageID,
                        date: context.clock.now).rendered(timeZone: context.settings.timeZone)
        })
    }
}
