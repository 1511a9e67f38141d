import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// Emails the month's rendered company reports not sent yet to each company's billing address,
/// the PDF and the CSV attached, through the outbox (about `report:company:<id>:<YYYY-MM>`:
/// exactly once as far as SMTP allows). A failure leaves the report unsent, in `batch_failures`
/// as `mail:report:company:<id>:<YYYY-MM>`, for the next run.
struct ReportMailer {
    /// A rendered report and where it goes.
    struct Mailable: Sendable {
        var id: Int, companyID: Int
        var companyName: String, email: String
        var pdfPath: String, pdfSHA256: String, csvPath: String
    }

    static let templateNames = ["company_mail_subject", "company_mail_body"]
    static let pageSize = 200

    let outbox: Outbox
    let from: MailAddress
    let templates: TextTemplates
    let context: JobContext
    let month: CalendarMonth
    let timeZone: TimeZone

    init(settings: MailSettings, templates: TextTemplates, context: JobContext, month: CalendarMonth, timeZone: TimeZone) {
        outbox = Outbox(db: context.db, settings: settings, logger: context.logger)
        from = settings.from
        (self.templates, self.context, self.month, self.timeZone) = (templates, context, month, timeZone)
    }

    var step: ItemStep<Mailable> {
        let month = month
        return ItemStep(name: "mail", failureMessage: "report not mailed", keys: { ["mail:" + CompanyReport.key($0.companyID, month)] },
                 label: { "company \($0.companyID) to \($0.email)" }, fields: { ["company_id": .int($0.companyID)] }, isRepeatable: false)
    }

    func sendUnsent(into summary: inout JobSummary) throws -> (ok: Int, failed: Int) {
        var total = (ok: 0, failed: 0), after = 0
        while true {
            let page = try unsent(afterID: after)
            guard let last = page.last else { return total }
            after = last.id
            let counts = try outbox.send(page, step: step, context: context, into: &summary, letter: { report in
                Outbox.Letter(about: CompanyReport.key(report.companyID, month), recipient: report.email,
                              messageID: "report.company.\(report.companyID).\(month)@\(from.domain)")
            }, compose: message)
            total = (total.ok + counts.ok, total.failed + counts.failed)
        }
    }

    /// The mail's bytes: the PDF that was rendered (checked against its recorded SHA-256) and the CSV.
    private func message(_ report: Mailable, letter: Outbox.Letter, to recipient: MailAddress) throws -> [UInt8] {
        guard try FileDigest.sha256(ofFile: report.pdfPath) == report.pdfSHA256 else {
            throw DocumentError("\(report.pdfPath) is not the PDF that was rendered (SHA-256 differs); run monthly-report --regenerate")
        }
        let pdf = Array(try Data(contentsOf: URL(fileURLWithPath: report.pdfPath)))
        let csv = Array(try Data(contentsOf: URL(fileURLWithPath: report.csvPath)))
        let values: [String: Any] = ["company": report.companyName, "month": month.japanese, "sender": from.displayName ?? from.address]
        let subject = templates.render("company_mail_subject", values).split(whereSeparator: \.isNewline).joined(separator: " ")
        let name = "月次利用レポート_\(month)"
        return MailMessage(from: from, to: [recipient], subject: subject, body: templates.render("company_mail_body", values) + "\n",
                           attachments: [.init(filename: name + ".pdf", contentType: "application/pdf", bytes: pdf),
                                         .init(filename: name + ".csv", contentType: "text/csv; charset=utf-8", bytes: csv)],
                           messageID: letter.messageID, date: context.clock.now).rendered(timeZone: timeZone)
    }

    private func unsent(afterID: Int) throws -> [Mailable] {
        try context.db.query("""
            SELECT r.id, r.subject_id, r.figures->>'companyName' AS name, r.figures->>'billingEmail' AS email,
                   r.pdf_path, r.pdf_sha256, r.csv_path
              FROM report r
              LEFT JOIN mail_outbox o ON o.about = 'report:company:' || r.subject_id || ':' || to_char(r.month, 'YYYY-MM')
             WHERE r.kind = 'company' AND r.month = $1::date AND r.rendered_at IS NOT NULL AND \(Outbox.unsent("o")) AND r.id > $2
             ORDER BY r.id LIMIT $3
            """, [month.firstDay, afterID, Self.pageSize]).rows.map { row in
            Mailable(id: try row.int("id"), companyID: try row.int("subject_id"), companyName: try row.string("name"),
                     email: try row.string("email"), pdfPath: try row.string("pdf_path"), pdfSHA256: try row.string("pdf_sha256"),
                     csvPath: try row.string("csv_path"))
        }
    }
}
