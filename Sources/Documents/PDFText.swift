import CPoppler
import Foundation

/// A PDF read back with poppler: its page count and each page's text, to check that what was
/// written is a readable document saying what it should.
public struct PDFText: Sendable {
    public let pageCount: Int
    public let pages: [String]
    public var text: String { pages.joined(separator: "\n") }

    public static func read(_ path: String) throws -> PDFText {
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

    static func failure(_ error: UnsafeMutablePointer<GError>?, _ path: String) -> DocumentError {
        defer { if let error { g_error_free(error) } }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
        return DocumentError("\(path) is not a readable PDF: \(message)")
    }
}
