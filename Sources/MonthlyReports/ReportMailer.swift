import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// Emails the month's rendered reports not sent yet — each company's to its billing address, each
/// business's to its report address (`business.report_email`, as it is when the mail goes; none:
/// filed only), the operator's to `monthly_report.operator_emails` — the PDF and the CSV attached, through the
/// outbox (exactly once as far as SMTP allows). A failure leaves the report unsent, in
/// `batch_failures` as `mail:<about>`, for the next run.
struct ReportMailer {
    /// A rendered report and where it goes.
    struct Mailable: Sendable {
        var id: Int, kind: String
        /// The outbox's key: `report:company:<id>:<YYYY-MM>`, `report:business:<id>:<YYYY-MM>`,
        /// `report:operator:<YYYY-MM>:<address>`.
        var about: String, messageLocalPart: String
        var name: String, email: String
        var pdfPath: String, pdfSHA256: String, csvPath: String
    }

    static let templateNames = ["company_mail_subject", "company_mail_body", "business_mail_subject", "business_mail_body",
                                "operator_mail_subject", "operator_mail_body"]
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

    static let step = ItemStep<Mailable>(name: "mail", failureMessage: "report not mailed", keys: { ["mail:" + $0.about] },
                                         label: { "\($0.kind) report to \($0.email)" }, fields: { ["about": .string($0.about)] },
                                         isRepeatable: false)

    /// Mails what is unsent of `kinds`; the operator's report to each of `operatorEmails`.
    func sendUnsent(kinds: Set<MonthlyReportJob.Kind>, operatorEmails: [MailAddress], into summary: inout JobSummary) throws
    -> (ok: Int, failed: Int) {
        var total = (ok: 0, failed: 0)
        func send(_ page: [Mailable]) throws {
            let counts = try outbox.send(page, step: Self.step, context: context, into: &summary, letter: {
                Outbox.Letter(about: $0.about, recipient: $0.email, messageID: "\($0.messageLocalPart)@\(from.domain)")
            }, compose: message)
            total = (total.ok + counts.ok, total.failed + counts.failed)
        }
        for kind in [MonthlyReportJob.Kind.company, .business] where kinds.contains(kind) {
            try forEachPage(key: \.id, fetch: { try subjectPage(kind.rawValue, afterID: $0) }, send)
        }
        if kinds.contains(.operator), !operatorEmails.isEmpty { try send(try operatorLetters(operatorEmails)) }
        try recordSentTimes(operatorEmails: operatorEmails)
        return total
    }

    /// `report.sent_at` from the outbox for the month's reports whose letters have gone (also those
    /// a killed run sent without recording).
    private func recordSentTimes(operatorEmails: [MailAddress]) throws {
        try context.unitOfWork("report sent times") {
            try context.db.query("""
                UPDATE report r SET sent_at = o.sent_at
                  FROM mail_outbox o
                 WHERE r.month = $1::date AND r.kind <> 'operator' AND r.sent_at IS NULL AND o.status = 'sent'
                   AND o.about = 'report:' || r.kind || ':' || r.subject_id || ':' || to_char(r.month, 'YYYY-MM')
                """, [month.firstDay])
            try context.db.query("""
                UPDATE report r SET sent_at = s.last
                  FROM (SELECT max(sent_at) AS last FROM mail_outbox WHERE status = 'sent' AND about = ANY ($2::text[])) s
                 WHERE r.month = $1::date AND r.kind = 'operator' AND s.last IS NOT NULL AND r.sent_at IS DISTINCT FROM s.last
                """, [month.firstDay, operatorEmails.map { "report:operator:\(month):\($0.address)" }])
        }
    }

    /// The mail's bytes: the PDF that was rendered (checked against its recorded SHA-256) and the CSV.
    private func message(_ report: Mailable, letter: Outbox.Letter, to recipient: MailAddress) throws -> [UInt8] {
        let name = Self.titles[report.kind, default: "月次レポート"] + "_" + month.description
        let remedy = "run monthly-report --regenerate"
        let attachments = [
            try MailMessage.Attachment.rendered(report.pdfPath, sha256: report.pdfSHA256, filename: name + ".pdf",
                                                contentType: "application/pdf", remedy: remedy),
            try MailMessage.Attachment.rendered(report.csvPath, sha256: nil, filename: name + ".csv",
                                                contentType: "text/csv; charset=utf-8", remedy: remedy),
        ]
        let values: [String: Any] = [report.kind: report.name, "month": month.japanese, "sender": from.displayName ?? from.address]
        let subject = templates.render("\(report.kind)_mail_subject", values).split(whereSeparator: \.isNewline).joined(separator: " ")
        return MailMessage(from: from, to: [recipient], subject: subject, body: templates.render("\(report.kind)_mail_body", values) + "\n",
                           attachments: attachments, messageID: letter.messageID, date: context.clock.now).rendered(timeZone: timeZone)
    }

    /// The attachments' names, before `_YYYY-MM`.
    static let titles = ["company": "月次利用レポート", "business": "月次稼働レポート", "operator": "運用月次レポート"]

    /// Where a subject's letter goes: a company's billing address as its report recorded it; a
    /// business's report address as it is now (none: not mailed).
    private static let recipients = [
        "company": "r.figures->>'companyName' AS name, r.figures->>'billingEmail' AS email FROM report r",
        "business": "b.name, b.report_email AS email FROM report r JOIN business b ON b.id = r.subject_id AND b.report_email IS NOT NULL",
    ]

    /// The rendered, unsent reports of a company or business `kind` after `afterID`.
    private func subjectPage(_ kind: String, afterID: Int) throws -> [Mailable] {
        try context.db.query("""
            SELECT r.id, r.subject_id, r.pdf_path, r.pdf_sha256, r.csv_path, \(Self.recipients[kind]!)
              LEFT JOIN mail_outbox o ON o.about = 'report:' || r.kind || ':' || r.subject_id || ':' || to_char(r.month, 'YYYY-MM')
             WHERE r.kind = $4 AND r.month = $1::date AND r.rendered_at IS NOT NULL AND \(Outbox.unsent("o")) AND r.id > $2
             ORDER BY r.id LIMIT $3
            """, [month.firstDay, afterID, Self.pageSize, kind]).rows.map { row in
            let subject = try row.int("subject_id")
            return Mailable(id: try row.int("id"), kind: kind, about: "report:\(kind):\(subject):\(month)",
                            messageLocalPart: "report.\(kind).\(subject).\(month)", name: try row.string("name"),
                            email: try row.string("email"), pdfPath: try row.string("pdf_path"),
                            pdfSHA256: try row.string("pdf_sha256"), csvPath: try row.string("csv_path"))
        }
    }

    /// The operator's report to each address (a letter each), when it is rendered.
    private func operatorLetters(_ addresses: [MailAddress]) throws -> [Mailable] {
        guard let row = try context.db.query("""
            SELECT id, pdf_path, pdf_sha256, csv_path FROM report WHERE kind = 'operator' AND month = $1::date AND rendered_at IS NOT NULL
            """, [month.firstDay]).first else { return [] }
        return try addresses.map { address in
            Mailable(id: try row.int("id"), kind: "operator", about: "report:operator:\(month):\(address.address)",
                     messageLocalPart: "report.operator.\(month).\(address.address.replacingOccurrences(of: "@", with: ".at."))",
                     name: "運用", email: address.address, pdfPath: try row.string("pdf_path"),
                     pdfSHA256: try row.string("pdf_sha256"), csvPath: try row.string("csv_path"))
        }
    }
}
