import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// Emails rendered invoices that have not been sent, each to the billing address copied onto the
/// invoice. A `mail_delivery` row with the Message-ID is committed before the first attempt and
/// marked `sent` once the server accepted the message, so a rerun never sends a sent invoice
/// again, and a message interrupted in between goes out again under the same Message-ID.
/// A transient failure is retried with backoff; a failure that persists leaves the invoice
/// unsent, in `batch_failures` as `mail:<number>`, for the next run.
struct InvoiceMailer {
    let settings: InvoiceMailSettings
    let templates: TextTemplates
    let context: JobContext
    let timeZone: TimeZone
    static let pageSize = 200

    struct Outcome { var sent = 0, failed = 0 }

    static func itemKey(_ number: String) -> String { "mail:\(number)" }

    /// Sends what is unsent: of `month`, or of every month when nil.
    func sendUnsent(month: BillingMonth?, into summary: inout JobSummary) throws -> Outcome {
        let client = SMTPClient(server: settings.server)
        var outcome = Outcome()
        // Set when the server itself fails: the rest are recorded as unsent without trying.
        var serverFailure: String?
        try InvoiceMailer.forEachUnsentPage(context.db, month: month) { page in
            let deliveries = try prepareDeliveries(page)
            for invoice in page {
                let delivery = deliveries[invoice.id]!
                let result: (attempts: Int, error: String?)
                if let serverFailure {
                    result = (0, "not sent: \(serverFailure)")
                } else {
                    result = try send(invoice, delivery: delivery, client: client, serverFailure: &serverFailure) { attempts in
                        // First thing after the server's "250": the row says sent, so a kill from here on
                        // cannot send it again. (A kill between the server storing the message and its
                        // reply reaching us still can: SMTP has no way to close that window.)
                        try context.db.query("""
                            UPDATE mail_delivery SET status = 'sent', sent_at = now(), attempts = attempts + $2, last_error = NULL
                             WHERE invoice_id = $1 AND status = 'pending'
                            """, [invoice.id, attempts])
                    }
                }
                if let error = result.error {
                    outcome.failed += 1
                    summary.itemsFailed += 1
                    summary.failedItems.append("\(invoice.number) to \(delivery.recipient): \(error)")
                    try context.db.query("""
                        UPDATE mail_delivery SET attempts = attempts + $2, last_error = $3 WHERE invoice_id = $1 AND status = 'pending'
                        """, [invoice.id, result.attempts, Secrets.shared.scrub(error)])
                    try context.failures?.record(itemKey: InvoiceMailer.itemKey(invoice.number), error: error, attempts: result.attempts)
                } else {
                    outcome.sent += 1
                    summary.itemsOK += 1
                    try context.failures?.resolve(itemKey: InvoiceMailer.itemKey(invoice.number))
                }
            }
        }
        return outcome
    }

    struct Delivery { var recipient: String, messageID: String }

    /// The page's delivery rows: new ones committed as `pending` with their Message-ID, existing
    /// (interrupted) ones kept as they are.
    private func prepareDeliveries(_ page: [InvoiceMail.Invoice]) throws -> [Int: Delivery] {
        try context.db.query("""
            INSERT INTO mail_delivery (invoice_id, recipient, message_id, status)
            SELECT id, recipient, message_id, 'pending' FROM unnest($1::int8[], $2::text[], $3::text[]) AS x(id, recipient, message_id)
            ON CONFLICT (invoice_id) DO NOTHING
            """, [page.map(\.id), page.map(\.recipientEmail), page.map { InvoiceMail.messageID($0.number, from: settings.from) }])
        var deliveries: [Int: Delivery] = [:]
        for row in try context.db.query("SELECT invoice_id, recipient, message_id FROM mail_delivery WHERE invoice_id = ANY ($1::int8[])",
                                        [page.map(\.id)]).rows {
            deliveries[try row.int("invoice_id")] = Delivery(recipient: try row.string("recipient"), messageID: try row.string("message_id"))
        }
        return deliveries
    }

    /// One invoice: nil error when the server accepted it, after `accepted` recorded that.
    private func send(_ invoice: InvoiceMail.Invoice, delivery: Delivery, client: SMTPClient,
                      serverFailure: inout String?, accepted: (Int) throws -> Void) throws -> (attempts: Int, error: String?) {
        guard let recipient = MailAddress(delivery.recipient) else {
            return (0, "the billing address \"\(delivery.recipient)\" is not a valid email address")
        }
        let pdf: [UInt8]
        do {
            guard try FileDigest.sha256(ofFile: invoice.pdfPath) == invoice.pdfSHA256 else {
                return (0, "\(invoice.pdfPath) is not the PDF that was rendered (SHA-256 differs); run invoice --regenerate")
            }
            pdf = Array(try Data(contentsOf: URL(fileURLWithPath: invoice.pdfPath)))
        } catch {
            return (0, "cannot read \(invoice.pdfPath): \(error)")
        }
        let message = InvoiceMail.message(invoice, pdf: pdf, to: recipient, messageID: delivery.messageID, from: settings.from,
                                          templates: templates, date: context.clock.now)
        let bytes = message.rendered(timeZone: timeZone)
        let classifier = RetryClassifier(isTransient: { ($0 as? SMTPError)?.isTransient ?? false })
        let logger = context.logger
        do {
            let (_, attempts) = try retrying(settings.retry, classifier, onRetry: { attempt, error, delay in
                logger.warning("mail not accepted, trying again", ["invoice": .string(invoice.number), "attempt": .int(attempt),
                                                                   "delay_ms": .int(Int(delay * 1000))], error: error)
            }) { try client.send(bytes, from: settings.from, to: [recipient]) }
            try accepted(attempts)
            logger.info("invoice mailed", ["invoice": .string(invoice.number), "message_id": .string(delivery.messageID),
                                           "attempts": .int(attempts)])
            return (attempts, nil)
        } catch let exhausted as RetryExhausted {
            logger.error("invoice not mailed", ["invoice": .string(invoice.number)], error: exhausted)
            if let smtp = exhausted.underlying as? SMTPError, smtp.affectsEveryMessage {
                serverFailure = "\(settings.server.url): \(smtp)"
            }
            return (exhausted.attempts, "\(exhausted)")
        } catch let error as PostgresError {
            throw error  // recording the acceptance failed: the run stops, the row stays pending
        } catch {
            return (1, "\(error)")
        }
    }

    /// Rendered invoices without a `sent` delivery, a page at a time in id order.
    static func forEachUnsentPage(_ db: Connection, month: BillingMonth?, _ body: ([InvoiceMail.Invoice]) throws -> Void) throws {
        var after = 0
        while true {
            let page = try unsent(db, month: month, afterID: after, limit: pageSize)
            guard let last = page.last else { return }
            after = last.id
            try body(page)
        }
    }

    private static func unsent(_ db: Connection, month: BillingMonth?, afterID: Int, limit: Int) throws -> [InvoiceMail.Invoice] {
        try db.query("""
            SELECT i.id, i.invoice_number, to_char(i.billing_month, 'YYYY-MM') AS month, i.period_start::text AS ps, i.period_end::text AS pe,
                   i.due_date::text AS due, i.recipient_name, i.recipient_email, i.total_yen, i.pdf_path, i.pdf_sha256
              FROM invoice i LEFT JOIN mail_delivery d ON d.invoice_id = i.id
             WHERE i.rendered_at IS NOT NULL AND (d.status IS NULL OR d.status = 'pending')
               AND ($1::date IS NULL OR i.billing_month = $1::date) AND i.id > $2
             ORDER BY i.id LIMIT $3
            """, [month?.firstDay, afterID, limit]).rows.map { row in
            InvoiceMail.Invoice(id: try row.int("id"), number: try row.string("invoice_number"), billingMonth: BillingMonth(try row.string("month"))!,
                                periodStart: try row.string("ps"), periodEnd: try row.string("pe"), dueDate: try row.string("due"),
                                recipientName: try row.string("recipient_name"), recipientEmail: try row.string("recipient_email"),
                                totalYen: try row.int("total_yen"), pdfPath: try row.string("pdf_path"),
                                pdfSHA256: try row.string("pdf_sha256"))
        }
    }
}
