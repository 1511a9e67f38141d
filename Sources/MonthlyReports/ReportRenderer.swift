import Documents
import Foundation
import NightshiftCore
import Postgres

/// A stored company report, as the renderer reads it back.
struct StoredReport: Sendable {
    var id: Int
    var report: CompanyReport

    /// The month's company reports after `afterID` without a PDF (every one when `all`).
    static func page(_ db: Connection, month: CalendarMonth, all: Bool, afterID: Int, limit: Int) throws -> [StoredReport] {
        try db.query("""
            SELECT id, figures::text AS figures FROM report
             WHERE kind = 'company' AND month = $1::date AND ($2 OR rendered_at IS NULL) AND id > $3
             ORDER BY id LIMIT $4
            """, [month.firstDay, all, afterID, limit]).rows.map { row in
            StoredReport(id: try row.int("id"),
                         report: try JSONDecoder().decode(CompanyReport.self, from: Data(try row.string("figures").utf8)))
        }
    }
}

/// Renders the month's company reports through the document pipeline: `<id>.pdf` checked after
/// drawing, and `<id>.csv` beside it, in `<output>/reports/<month>/company/`, both 0600; a batch
/// made durable together, then their rows updated. A report whose PDF fails its check is an item
/// failure and never takes its final name.
struct ReportRenderer {
    let context: JobContext
    let templates: TextTemplates
    let outputDirectory: String
    let month: CalendarMonth
    static let pageSize = 100

    static let step = ItemStep<DocumentPipeline<StoredReport>.Outcome>(
        name: "render", failureMessage: "report PDF failed",
        keys: { ["render:report:company:\($0.item.report.companyID):\($0.item.report.month)"] },
        label: { "company \($0.item.report.companyID)" }, fields: { ["company_id": .int($0.item.report.companyID)] })

    func render(all: Bool, into summary: inout JobSummary) throws -> Int {
        let templates = templates
        let pipeline = DocumentPipeline<StoredReport>(
            directory: "\(outputDirectory)/reports/\(month)/company", fontFamily: CompanyReportDocument.font,
            fileName: { "\($0.report.companyID).pdf" },
            draw: { stored, font, path in try CompanyReportDocument.draw(stored.report, templates: templates, font: font, to: path) },
            check: { stored, read in try CompanyReportDocument.check(stored.report, read) })
        try pipeline.open()
        var rendered = 0
        try pipeline.run(fetch: { last in
            try StoredReport.page(context.db, month: month, all: all, afterID: last?.id ?? 0, limit: Self.pageSize)
        }, commit: { batch in
            rendered += try context.runChunk(Self.step, batch, into: &summary, prepare: { outcome in
                let drawn = try outcome.result.get()
                return (drawn, try ReportCSV.company(drawn.item.report))
            }) { done in
                try pipeline.makeDurable(done.map(\.0))
                let csvPaths = done.map { pipeline.finalPath($0.0.item).replacingOccurrences(of: ".pdf", with: ".csv") }
                for ((_, csv), path) in zip(done, csvPaths) { try DurableFiles.write(csv, to: path) }
                try context.db.query("""
                    UPDATE report SET pdf_path = x.pdf, pdf_sha256 = x.sha256, csv_path = x.csv, rendered_at = now()
                      FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[]) AS x(id, pdf, sha256, csv)
                     WHERE report.id = x.id
                    """, [done.map(\.0.item.id), done.map { pipeline.finalPath($0.0.item) }, done.map(\.0.sha256), csvPaths])
            }.ok
        })
        return rendered
    }
}
