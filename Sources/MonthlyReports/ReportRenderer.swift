import Documents
import Foundation
import NightshiftCore
import Postgres

/// A stored report of one kind, as the renderer reads it back.
struct StoredReport<Content: ReportContent>: Sendable {
    var id: Int
    var content: Content

    /// The month's reports of this kind after `afterID` without a PDF (every one when `all`).
    static func page(_ db: Connection, month: CalendarMonth, all: Bool, afterID: Int, limit: Int) throws -> [StoredReport] {
        try db.query("""
            SELECT id, figures::text AS figures FROM report
             WHERE kind = $5 AND month = $1::date AND ($2 OR rendered_at IS NULL) AND id > $3
             ORDER BY id LIMIT $4
            """, [month.firstDay, all, afterID, limit, Content.kind]).rows.map { row in
            StoredReport(id: try row.int("id"), content: try JSONDecoder().decode(Content.self, from: Data(try row.string("figures").utf8)))
        }
    }
}

/// Renders the month's reports of one kind through the document pipeline: `<stem>.pdf` checked
/// after drawing, and `<stem>.csv` beside it, in `<output>/reports/<month>/<kind>/`, both 0600; a
/// batch made durable together, then their rows updated. A report whose PDF fails its check is an
/// item failure (`render:report:<kind>:<subject>:<month>`) and never takes its final name.
struct ReportRenderer<Content: ReportContent> {
    let context: JobContext
    let templates: TextTemplates
    let outputDirectory: String
    let month: CalendarMonth
    let csvEncoding: ReportCSV.Encoding
    static var pageSize: Int { 100 }

    var step: ItemStep<DocumentPipeline<StoredReport<Content>>.Outcome> {
        let month = month
        return ItemStep(name: "render", failureMessage: "report PDF failed",
                        keys: { ["render:report:\(Content.kind):\($0.item.content.subjectID):\(month)"] },
                        label: { "\(Content.kind) report \($0.item.content.fileStem)" },
                        fields: { ["kind": .string(Content.kind), "subject_id": .int($0.item.content.subjectID)] })
    }

    func render(all: Bool, into summary: inout JobSummary) throws -> Int {
        let templates = templates
        let pipeline = DocumentPipeline<StoredReport<Content>>(
            directory: "\(outputDirectory)/reports/\(month)/\(Content.kind)", fontFamily: CompanyReportDocument.font,
            fileName: { "\($0.content.fileStem).pdf" },
            draw: { stored, font, path in try stored.content.draw(templates: templates, font: font, to: path) },
            check: { stored, read in try stored.content.check(read) })
        try pipeline.open()
        let csvEncoding = csvEncoding
        return try pipeline.render(step, context: context, into: &summary, fetch: { last in
            try StoredReport<Content>.page(context.db, month: month, all: all, afterID: last?.id ?? 0, limit: Self.pageSize)
        }, extra: { drawn in try ReportCSV.encode(try drawn.item.content.csv(), as: csvEncoding) }, record: { done in
            let csvPaths = done.map { pipeline.finalPath($0.drawn.item).replacingOccurrences(of: ".pdf", with: ".csv") }
            for (report, path) in zip(done, csvPaths) { try DurableFiles.write(report.extra, to: path) }
            try context.db.query("""
                UPDATE report SET pdf_path = x.pdf, pdf_sha256 = x.sha256, csv_path = x.csv, rendered_at = now()
                  FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[]) AS x(id, pdf, sha256, csv)
                 WHERE report.id = x.id
                """, [done.map(\.drawn.item.id), done.map { pipeline.finalPath($0.drawn.item) }, done.map(\.drawn.sha256), csvPaths])
        }).ok
    }
}
