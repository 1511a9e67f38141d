import Documents
import Foundation
import NightshiftCore
import Postgres

/// Renders the PDFs of a month's invoices: each drawn as `NUMBER.pdf.partial`, read back with
/// poppler and checked (one page; number, recipient and total in its text), then a page of them
/// is made durable together and renamed to `NUMBER.pdf`, and their rows updated. A PDF that fails
/// its check is an item failure and never takes its final name. While a page is drawn on every
/// core, this thread commits the one before and fetches the one after; the database is only used
/// from this thread.
struct InvoiceRenderer {
    let settings: InvoiceSettings
    let templates: TextTemplates
    let context: JobContext
    static let pageSize = 200

    struct Outcome { var rendered = 0, failed = 0 }

    func directory(for month: BillingMonth) -> String { "\(settings.outputDirectory)/invoices/\(month)" }

    func render(month: BillingMonth, regenerate: Bool, into summary: inout JobSummary) throws -> Outcome {
        let directory = directory(for: month)
        try DurableFiles.makeDirectory(settings.outputDirectory)
        try DurableFiles.makeDirectory(settings.outputDirectory + "/invoices")
        try DurableFiles.makeDirectory(directory)
        // Leftovers of a killed run (this run holds the job's lock).
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".partial") {
            try DurableFiles.remove("\(directory)/\(name)")
        }
        var outcome = Outcome()
        func fetch(after id: Int) throws -> [StoredInvoice] {
            try StoredInvoice.page(context.db, month: month, unrenderedOnly: !regenerate, afterID: id, limit: InvoiceRenderer.pageSize)
        }
        var page = try fetch(after: 0)
        var drawn: (page: [StoredInvoice], results: [Result<String, Error>])?
        while true {
            let drawing = PageDrawing(page, templates: templates, directory: directory)
            let next: [StoredInvoice]
            do {
                if let drawn { try commit(drawn.page, drawn.results, in: directory, into: &summary, &outcome) }
                next = try page.last.map { try fetch(after: $0.id) } ?? []
            } catch {
                _ = drawing.wait()  // no file is being written once we return
                throw error
            }
            drawn = (page, drawing.wait())
            if page.isEmpty { break }
            page = next
        }
        return outcome
    }

    /// Records the failures of a drawn page, then makes its good PDFs durable under their final
    /// names and updates their rows.
    private func commit(_ page: [StoredInvoice], _ results: [Result<String, Error>], in directory: String,
                        into summary: inout JobSummary, _ outcome: inout Outcome) throws {
        var done: [(invoice: StoredInvoice, sha256: String)] = []
        for (invoice, result) in zip(page, results) {
            switch result {
            case .success(let sha256): done.append((invoice, sha256))
            case .failure(let error):
                outcome.failed += 1
                summary.itemsFailed += 1
                summary.failedItems.append("\(invoice.number): \(error)")
                context.logger.error("invoice PDF failed", ["invoice": .string(invoice.number)], error: error)
                try context.failures?.record(itemKey: "pdf:\(invoice.number)", error: "\(error)", attempts: 1)
                try? DurableFiles.remove(InvoiceRenderer.partialPath(invoice, in: directory))
            }
        }
        try DurableFiles.commitAll(done.map { (InvoiceRenderer.partialPath($0.invoice, in: directory),
                                               InvoiceRenderer.finalPath($0.invoice, in: directory)) }, in: directory)
        try context.db.query("""
            UPDATE invoice SET pdf_path = x.path, pdf_sha256 = x.sha256, rendered_at = now()
              FROM unnest($1::int8[], $2::text[], $3::text[]) AS x(id, path, sha256)
             WHERE invoice.id = x.id
            """, [done.map(\.invoice.id), done.map { InvoiceRenderer.finalPath($0.invoice, in: directory) }, done.map(\.sha256)])
        try context.failures?.resolve(itemKeys: done.map { "pdf:\($0.invoice.number)" })
        outcome.rendered += done.count
    }

    static func partialPath(_ invoice: StoredInvoice, in directory: String) -> String { finalPath(invoice, in: directory) + ".partial" }
    static func finalPath(_ invoice: StoredInvoice, in directory: String) -> String { "\(directory)/\(invoice.number).pdf" }

    /// Draws and checks a page of invoices on every core; returns each one's SHA-256 or error.
    static func drawAll(_ page: [StoredInvoice], templates: TextTemplates, in directory: String) -> [Result<String, Error>] {
        let results = ResultSlots(count: page.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, page.count))
        let queue = IndexDispenser(count: page.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            do {
                try EmbeddedFont.withFonts(family: InvoiceDocument.font) { font in
                    while let index = queue.next() {
                        let invoice = page[index]
                        let path = partialPath(invoice, in: directory)
                        results.set(index, Result {
                            try InvoiceDocument.draw(invoice, templates: templates, font: font, to: path)
                            try InvoiceRenderer.check(path, invoice)
                            return try FileDigest.sha256(ofFile: path)
                        })
                    }
                }
            } catch {
                while let index = queue.next() { results.set(index, .failure(error)) }
            }
        }
        return results.values
    }

    /// The written file is a one-page PDF that says what the invoice says.
    static func check(_ path: String, _ invoice: StoredInvoice) throws {
        let read = try PDFText.read(path)
        guard read.pageCount == 1 else { throw DocumentError("the PDF has \(read.pageCount) pages, expected 1") }
        // Wrapped lines and the spacing poppler reconstructs are not what was written: compare
        // without any white space.
        let text = PDFText.withoutWhitespace(read.text)
        for (what, expected) in [("number", invoice.number), ("recipient", invoice.recipientName),
                                 ("total", YenFormat.string(invoice.totalYen)),
                                 ("billing period", InvoiceDocument.periodLine(invoice))]
        where !text.contains(PDFText.withoutWhitespace(expected)) {
            throw DocumentError("the PDF's text lacks the \(what) \(expected)")
        }
    }
}

/// A page being drawn in the background; `wait` returns its results.
private final class PageDrawing: @unchecked Sendable {
    private var results: [Result<String, Error>] = []
    private let finished = DispatchGroup()

    init(_ page: [StoredInvoice], templates: TextTemplates, directory: String) {
        guard !page.isEmpty else { return }
        DispatchQueue.global().async(group: finished) {
            self.results = InvoiceRenderer.drawAll(page, templates: templates, in: directory)
        }
    }

    func wait() -> [Result<String, Error>] {
        finished.wait()
        return results
    }
}

/// Results written by concurrent workers, each to its own index.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<String, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<String, Error>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Result<String, Error>] {
        slots.map { $0 ?? .failure(DocumentError("not rendered")) }
    }
}
