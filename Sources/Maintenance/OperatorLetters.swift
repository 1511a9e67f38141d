import Foundation
import Mail
import NightshiftCore

/// Maintenance's reports to the operator (`maintenance.report_emails`): one letter per report and
/// address through the outbox, so a rerun never sends one twice and a failed one goes next run.
struct OperatorLetters {
    let recipients: [MailAddress]
    let settings: MailSettings?

    static func load(_ config: ConfigValues) throws -> OperatorLetters {
        let recipients = try (config.optionalString("maintenance.report_emails") ?? "").split(separator: ",").map { item in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let address = MailAddress(text) else {
                throw ConfigurationError(key: "maintenance.report_emails", source: config.source(of: "maintenance.report_emails"),
                                         expected: "addresses separated by commas (\"\(text)\" is not one)")
            }
            return address
        }
        return OperatorLetters(recipients: recipients, settings: recipients.isEmpty ? nil : try MailSettings.load(config))
    }

    static let step = ItemStep<MailAddress>(name: "report_mail", failureMessage: "report not mailed to the operator",
                                            keys: { ["mail:report:\($0.address)"] }, label: { "report to \($0.address)" },
                                            isRepeatable: false)

    /// Mails `body` about `about` (e.g. `health:12`) to every recipient; nothing without any.
    func send(about: String, subject: String, body: String, context: JobContext, into summary: inout JobSummary) throws {
        guard let settings, !recipients.isEmpty else { return }
        let outbox = Outbox(db: context.db, settings: settings, logger: context.logger)
        try outbox.send(recipients, step: Self.step, context: context, into: &summary, letter: { address in
            Outbox.Letter(about: "\(about):\(address.address)", recipient: address.address,
                          messageID: "\(about.replacingOccurrences(of: ":", with: ".")).\(address.address.replacingOccurrences(of: "@", with: ".at."))@\(settings.from.domain)")
        }, compose: { _, letter, recipient in
            MailMessage(from: settings.from, to: [recipient], subject: subject, body: body + "\n", messageID: letter.messageID,
                        date: context.clock.now).rendered(timeZone: context.settings.timeZone)
        })
    }
}
