import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// Emails rendered invoices that have not been sent, each to the billing address copied onto the
/// invoice, through the outbox (`invoice:<id>`: exactly once as far as SMTP allows). A failure
/// that persists leaves the invoice unsent, in `batch_failures` as `mail:<number>`, for the next
/// run.
struct InvoiceMailer {
    let outbox: Outbox
    let from: MailAddress
    let templates: TextTemplates
    let context: JobContext
    let timeZone: TimeZone
    static let pageSize = 200

    struct Outcome { var sent = 0, failed = 0 }

    init(settings: MailSettings, templates: TextTemplates, context: JobContext, timeZone: TimeZone) {
        outbox = Outbox(db: context.db, settings: settings, logger: context.logger)
        from = settings.from
        self.templates = templates
        self.context = context
        self.timeZone = timeZone
    }

    static func itemKey(_ number: String) -> String { "mail:\(number)" }

    static func about(_ invoice: InvoiceMail.Invoice) -> String { "invoice:\(invoice.id)" }

    // Not repeated after a reconnect: the message may have gone out already.
    static let step = ItemStep<InvoiceMail.Invoice>(
        name: "mail", failureMessage: "invoice not mailed", keys: { [itemKey($0.number)] },
        label: { "\($0.number) to \($0.recipientEmail)" }, fields: { ["invoice": .string($0.number)] }, isRepeatable: false)

    /// Sends what is unsent: of `month`, or of every month when nil.
    func sendUnsent(month: CalendarMonth?, into summary: inout JobSummary) throws -> Outcome {
        var outcome = Outcome()
        try InvoiceMailer.forEachUnsentPage(context.db, month: month) { page in
            let counts = try outbox.send(page, step: InvoiceMailer.step, context: context, into: &summary, letter: {
                Outbox.Letter(about: InvoiceMailer.about($0), recipient: $0.recipientEmail, messageID: InvoiceMail.messageID($0.number, from: from))
            }, compose: message)
            outcome.sent += counts.ok
            outcome.failed += counts.failed
        }
        return outcome
    }

    /// The mail's bytes, with the PDF that was rendered (checked against its recorded SHA-256).
    private func message(_ invoice: InvoiceMail.Invoice, letter: Outbox.Letter, to recipient: MailAddress) throws -> [UInt8] {
        let pdf = try MailMessage.Attachment.rendered(invoice.pdfPath, sha256: invoice.pdfSHA256, filename: InvoiceMail.attachmentName(invoice.number),
                                                      contentType: "application/pdf", remedy: "run invoice --regenerate")
        return InvoiceMail.message(invoice, pdf: pdf, to: recipient, messageID: letter.messageID, from: from,
                                   templates: templates, date: context.clock.now).rendered(timeZone: timeZone)
    }

    /// Rendered invoices the outbox has not sent, a page at a time in id order.
    static func forEachUnsentPage(_ db: Connection, month: CalendarMonth?, _ body: ([InvoiceMail.Invoice]) throws -> Void) throws {
        try forEachPage(key: \.id, fetch: { try unsent(db, month: month, afterID: $0, limit: pageSize) }, body)
    }

    private static func unsent(_ db: Connection, month: CalendarMonth?, afterID: Int, limit: Int) throws -> [InvoiceMail.Invoice] {
        try db.query("""
            SELECT i.id, i.invoice_number, to_char(i.billing_month, 'YYYY-MM') AS month, i.period_start::text AS ps, i.period_end::text AS pe,
                   i.due_date::text AS due, i.recipient_name, i.recipient_email, i.total_yen, i.pdf_path, i.pdf_sha256
              FROM invoice i LEFT JOIN mail_outbox o ON o.about = 'invoice:' || i.id
             WHERE i.rendered_at IS NOT NULL AND \(Outbox.unsent("o"))
               AND ($1::date IS NULL OR i.billing_month = $1::date) AND i.id > $2
             ORDER BY i.id LIMIT $3
            """, [month?.firstDay, afterID, limit]).rows.map { row in
            InvoiceMail.Invoice(id: try row.int("id"), number: try row.string("invoice_number"), billingMonth: CalendarMonth(try row.string("month"))!,
                                periodStart: try row.string("ps"), periodEnd: try row.string("pe"), dueDate: try row.string("due"),
                                recipientName: try row.string("recipient_name"), recipientEmail: try row.string("recipient_email"),
                                totalYen: try row.int("total_yen"), pdfPath: try row.string("pdf_path"),
                                pdfSHA256: try row.string("pdf_sha256"))
        }
    }
}
