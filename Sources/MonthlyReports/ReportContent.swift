import Documents
import Foundation
import NightshiftCore

/// A kind of monthly report: what is stored in `report.figures`, and how it becomes a PDF (drawn,
/// then checked when read back) and a CSV.
protocol ReportContent: Codable, Sendable {
    /// `report.kind`.
    static var kind: String { get }
    static var templateNames: [String] { get }
    var subjectID: Int { get }
    /// The files' name without extension, in `<output>/reports/<month>/<kind>/`.
    var fileStem: String { get }
    func draw(templates: TextTemplates, font: EmbeddedFont, to path: String) throws
    /// Throws when the PDF's text lacks what a reader must find.
    func check(_ read: PDFText) throws
    func csv() throws -> Data
}

/// A company or business a report may be made for, as a page of them is read.
protocol ReportSubject: Sendable {
    var id: Int { get }
    /// Its report of the month exists already.
    var reported: Bool { get }
}

extension CompanyReport.Subject: ReportSubject {}
extension BusinessReport.Subject: ReportSubject {}

extension ReportContent {
    /// Page count at least one, and each of `expected` in the text (white space ignored).
    static func require(_ read: PDFText, _ expected: [(what: String, text: String)]) throws {
        guard read.pageCount >= 1 else { throw DocumentError("the PDF has no page") }
        let text = PDFText.withoutWhitespace(read.text)
        for (what, value) in expected where !text.contains(PDFText.withoutWhitespace(value)) {
            throw DocumentError("the PDF's text lacks the \(what) \(value)")
        }
    }
}

extension CompanyReport: ReportContent {
    static let kind = "company"
    static let templateNames = CompanyReportDocument.templateNames
    var subjectID: Int { companyID }
    var fileStem: String { String(companyID) }

    func draw(templates: TextTemplates, font: EmbeddedFont, to path: String) throws {
        try CompanyReportDocument.draw(self, templates: templates, font: font, to: path)
    }

    func check(_ read: PDFText) throws { try Self.require(read, [("company", companyName), ("users", headline)]) }

    func csv() throws -> Data { try ReportCSV.company(self) }
}
