import Documents
import Foundation
import Mail
import NightshiftCore

/// `invoice send`: emails every rendered invoice not yet sent (of one month, or all). Runs under
/// the `invoice` job's name and lock, so it never overlaps a billing run.
public struct InvoiceSendJob: Job {
    public struct Options: Sendable {
        /// `YYYY-MM`; every month when nil.
        public var month: String?
        public init() {}
    }

    public static let name = "invoice-send"
    /// Never alongside `invoice`: the two share the mails (and their dead letters).
    public static let lockName = InvoiceJob.name
    public let options: Options
    let mailSettings: MailSettings
    let templates: TextTemplates
    var timeZone = TimeZone.current

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        if let month = options.month, CalendarMonth(month) == nil {
            throw UsageError("--month \(month): expected YYYY-MM")
        }
        mailSettings = try MailSettings.load(config)
        templates = try TextTemplates(kind: "invoice", config: config, names: InvoiceMail.templateNames)
        timeZone = core.timeZone
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        let month = options.month.flatMap(CalendarMonth.init)
        var summary = JobSummary()
        if context.isDryRun {
            context.report("number\trecipient\tmessage_id")
            try InvoiceMailer.forEachUnsentPage(context.db, month: month) { page in
                for invoice in page {
                    context.report("\(invoice.number)\t\(invoice.recipientEmail)\t<\(InvoiceMail.messageID(invoice.number, from: mailSettings.from))>")
                }
                summary.itemsOK += page.count
            }
            summary.message = "\(summary.itemsOK) invoices would be mailed"
            return summary
        }
        let mailer = InvoiceMailer(settings: mailSettings, templates: templates, context: context, timeZone: timeZone)
        let outcome = try mailer.sendUnsent(month: month, into: &summary)
        summary.metadata.merge(["mode": .string("send"), "mailed": .int(outcome.sent), "unsent": .int(outcome.failed)]) { $1 }
        if let month { summary.metadata["month"] = .string(month.description) }
        summary.message = "\(outcome.sent) invoices mailed, \(outcome.failed) unsent"
        return summary
    }
}
