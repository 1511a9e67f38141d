import CPoppler
import Foundation

/// A PDF read back with poppler: its page count and each page's text, to check that what was
/// written is a readable document saying what it should.
public struct PDFText: Sendable {
    public let pageCount: Int
    public let pages: [String]
    public var text: String { pages.joined(separator: "\n") }

    /// `text` with every space, tab, line break (and no-break or ideographic space) removed.
    public static func withoutWhitespace(_ text: String) -> String { String(text.unicodeScalars.filter {
        !$0.properties.isWhitespace
    }.map(Character.init)) }

    public static func read(_ path: String) throws -> PDFText {
        _ = globalTablesKept
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var error: UnsafeMutablePointer<GError>?
        guard let uri = g_filename_to_uri(absolute, nil, &error) else { throw failure(error, path) }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, nil, &error) else { throw failure(error, path) }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }
        let count = Int(poppler_document_get_n_pages(document))
        var pages: [String] = []
        for index in 0..<count {
            guard let page = poppler_document_get_page(document, Int32(index)) else {
                throw DocumentError("\(path): page \(index + 1) cannot be read")
            }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            if let text = poppler_page_get_text(page) {
                pages.append(String(cString: text))
                g_free(text)
            } else {
                pages.append("")
            }
        }
        return PDFText(pageCount: count, pages: pages)
    }

    /// poppler builds its global tables (built-in fonts, encodings, Unicode maps) when a document
    /// opens while no other is open, and frees them when the last one closes: once per PDF when
    /// they are read one at a time, a sixth of the time of reading one back. A one-page document
    /// held open for the life of the process keeps them built once.
    private static let globalTablesKept: Bool = {
        let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>"]
        var pdf = "%PDF-1.4\n", offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        let bytes = Array(pdf.utf8).withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        defer { g_bytes_unref(bytes) }
        return poppler_document_new_from_bytes(bytes, nil, nil) != nil
    }()

    static func failure(_ error: UnsafeMutablePointer<GError>?, _ path: String) -> DocumentError {
        defer { if let error { g_error_free(error) } }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
        return DocumentError("\(path) is not a readable PDF: \(message)")
    }
}
