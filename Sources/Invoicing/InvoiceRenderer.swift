import Documents
import Foundation
import NightshiftCore
import Postgres

/// Renders the PDFs of a month's invoices through the document pipeline, as `NUMBER.pdf` in
/// `<output>/invoices/<month>/`: each checked after drawing (one page; number, recipient, total
/// and billing period in its text), a batch made durable together, then their rows updated. A
/// PDF that fails its check is an item failure (`pdf:<number>`) and never takes its final name.
struct InvoiceRenderer {
    let settings: InvoiceSettings
    let templates: TextTemplates
    let context: JobContext
    static let pageSize = 200

    struct Outcome { var rendered = 0, failed = 0 }

    static let step = ItemStep<DocumentPipeline<StoredInvoice>.Outcome>(
        name: "render", failureMessage: "invoice PDF failed", keys: { ["pdf:\($0.item.number)"] },
        label: { $0.item.number }, fields: { ["invoice": .string($0.item.number)] })

    func directory(for month: CalendarMonth) -> String { "\(settings.outputDirectory)/invoices/\(month)" }

    func render(month: CalendarMonth, regenerate: Bool, into summary: inout JobSummary) throws -> Outcome {
        let templates = templates
        let pipeline = DocumentPipeline<StoredInvoice>(
            directory: directory(for: month), fontFamily: InvoiceDocument.font, fileName: { "\($0.number).pdf" },
            draw: { invoice, font, path in try InvoiceDocument.draw(invoice, templates: templates, font: font, to: path) },
            check: InvoiceDocument.check)
        try pipeline.open()
        let counts = try pipeline.render(InvoiceRenderer.step, context: context, into: &summary, fetch: { last in
            try StoredInvoice.page(context.db, month: month, unrenderedOnly: !regenerate, afterID: last?.id ?? 0,
                                   limit: InvoiceRenderer.pageSize)
        }, extra: { _ in }, record: { done in
            try context.db.query("""
                UPDATE invoice SET pdf_path = x.path, pdf_sha256 = x.sha256, rendered_at = now()
                  FROM unnest($1::int8[], $2::text[], $3::text[]) AS x(id, path, sha256)
                 WHERE invoice.id = x.id
                """, [done.map(\.drawn.item.id), done.map { pipeline.finalPath($0.drawn.item) }, done.map(\.drawn.sha256)])
        })
        return Outcome(rendered: counts.ok, failed: counts.failed)
    }
}
