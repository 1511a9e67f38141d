import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// `invoice`: one invoice per contract active on the billing month's last day, exactly once.
public struct InvoiceJob: Job {
    /// `send` also when config `invoice.send` says so; `regenerate` keeps numbers and amounts.
    public typealias Options = MonthRunOptions

    public static let name = "invoice"
    public let options: Options
    let settings: InvoiceSettings
    let templates: TextTemplates
    /// Nil when this run sends no mail.
    let mailSettings: MailSettings?
    /// Contracts read and stored per transaction, so memory stays flat with the contract count.
    static let pageSize = 1000

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        _ = try CalendarMonth.finished(options.month, now: clock.now, in: core.timeZone)
        settings = try InvoiceSettings.load(config, core: core)
        let send = try options.send || config.bool("invoice.send", default: false)
        mailSettings = send ? try MailSettings.load(config) : nil
        templates = try TextTemplates(kind: "invoice", config: config, names: InvoiceDocument.templateNames + (send ? InvoiceMail.templateNames : []))
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        let now = context.clock.now
        let month = options.month.flatMap(CalendarMonth.init) ?? CalendarMonth.previous(to: now, in: settings.timeZone)
        let issueDate = LocalTime.isoDate(now, in: settings.timeZone)
        context.logger.info("billing", metadata: ["month": .string(month.description), "issue_date": .string(issueDate)])

        var summary = JobSummary()
        var existing = 0, created = 0, billedYen = 0
        if context.isDryRun { context.report("number\tcompany\tperiod\tsubtotal_yen\ttax_yen\ttotal_yen") }
        try forEachPage(key: \.contractID, fetch: { after in
            try context.unitOfWork("contracts after \(after)") {
                try InvoiceCandidates.page(context.db, month: month, afterContract: after, limit: InvoiceJob.pageSize)
            }
        }) { page in
            // Already billed: done, and counted as such (a rerun is not a failure of those).
            let existingHere = page.filter(\.existingInvoice).count
            existing += existingHere
            summary.itemsOK += existingHere
            let step = ItemStep<InvoiceCandidate>(
                name: "bill", failureMessage: "invoice cannot be computed",
                keys: { [InvoiceDraft.itemKey($0.contractID, month: month)] }, label: { "contract \($0.contractID)" },
                fields: { ["contract_id": .int($0.contractID)] })
            let constants = context.runID.map {
                InvoiceStore.Constants(month: month, issueDate: issueDate, dueDays: settings.dueDays, issuer: settings.issuer, runID: $0)
            }
            try context.runChunk(step, page.filter { !$0.existingInvoice }, into: &summary,
                                 prepare: { try InvoiceDraft.make($0, month: month, settings: settings) },
                                 write: { drafts in
                guard let constants else { for draft in drafts { context.report(InvoiceJob.dryRunLine(draft)) }; return }
                created += try InvoiceStore.insert(drafts, constants: constants, db: context.db)
                billedYen += drafts.reduce(0) { $0 + $1.amounts.totalYen }
            })
        }
        let unbillable = summary.itemsFailed
        if context.isDryRun {
            let wouldCreate = summary.itemsOK - existing
            context.report(wouldCreate == 0 && existing > 0
                  ? "\(month): \(existing) invoice(s) exist already; nothing would be created"
                  : "\(month): \(wouldCreate) invoice(s) would be created, \(existing) exist already, \(unbillable) cannot be billed")
        }
        var rendered = 0, mailed: InvoiceMailer.Outcome?
        if !context.isDryRun {
            let renderer = InvoiceRenderer(settings: settings, templates: templates, context: context)
            rendered = try renderer.render(month: month, regenerate: options.regenerate, into: &summary).rendered
            if let mailSettings {
                let mailer = InvoiceMailer(settings: mailSettings, templates: templates, context: context, timeZone: settings.timeZone)
                mailed = try mailer.sendUnsent(month: month, into: &summary)
            }
        }
        summary.metadata.merge(["month": .string(month.description), "created": .int(created), "existing": .int(existing),
                            "unbillable": .int(unbillable), "rendered": .int(rendered), "billed_yen": .int(billedYen)]) { $1 }
        summary.message = "\(month): \(created) invoices created (\(existing) existed), \(rendered) PDFs"
        if let mailed {
            summary.metadata["mailed"] = .int(mailed.sent)
            summary.metadata["unsent"] = .int(mailed.failed)
            summary.message += ", \(mailed.sent) mailed (\(mailed.failed) unsent)"
        }
        summary.message += ", \(summary.itemsFailed) failed"
        return summary
    }

    static func dryRunLine(_ draft: InvoiceDraft) -> String {
        let c = draft.candidate, a = draft.amounts
        return [draft.number, c.companyName, "\(c.periodStart)..\(c.periodEnd)", "\(a.subtotalYen)", "\(a.taxYen)",
                "\(a.totalYen)"].joined(separator: "\t")
    }
}
