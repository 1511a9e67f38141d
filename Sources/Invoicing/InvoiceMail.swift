import Documents
import Foundation
import NightshiftCore
import Mail

/// The mail that carries an invoice: subject and body from `templates/invoice/mail_*.mustache`,
/// the PDF attached as `請求書_<number>.pdf`.
enum InvoiceMail {
    static let templateNames = ["mail_subject", "mail_body"]

    struct Invoice: Sendable {
        var id: Int
        var number: String
        var billingMonth: CalendarMonth
        var periodStart: String
        var periodEnd: String
        var dueDate: String
        var recipientName: String
        var recipientEmail: String
        var totalYen: Int
        var pdfPath: String
        var pdfSHA256: String
    }

    /// Fixed before the first attempt and stored, so a resend is recognisably the same message.
    static func messageID(_ number: String, from: MailAddress) -> String { "invoice.\(number)@\(from.domain)" }

    static func attachmentName(_ number: String) -> String { "請求書_\(number).pdf" }

    static func message(_ invoice: Invoice, pdf: MailMessage.Attachment, to: MailAddress, messageID: String, from: MailAddress,
                        templates: TextTemplates, date: Date) -> MailMessage {
        let values: [String: Any] = [
            "company": invoice.recipientName, "invoice_number": invoice.number,
            "month": invoice.billingMonth.japanese,
            "period_start": JapaneseDate.string(invoice.periodStart),
            "period_end": JapaneseDate.string(invoice.periodEnd),
            "due_date": JapaneseDate.string(invoice.dueDate), "total": YenFormat.string(invoice.totalYen),
            "sender": from.displayName ?? from.address,
        ]
        let subject = templates.render("mail_subject", values).split(whereSeparator: \.isNewline).joined(separator: " ")
        return MailMessage(from: from, to: [to], subject: subject, body: templates.render("mail_body", values) + "\n",
                           attachments: [pdf],
                           messageID: messageID, date: date)
    }
}
