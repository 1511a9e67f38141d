import Foundation
import Web

public struct ParsedCast: Sendable, Equatable {
    public let siteCastID: String
    public let name: String
    public let rawStatus: String
    public let status: CastStatus
}

public struct ParsedPage: Sendable {
    public let casts: [ParsedCast]
    public let nextPageURL: String?
    /// Cast nodes found without a usable id (not stored).
    public let castsWithoutID: Int
}

/// Why a page's content (not its transfer) is unusable. Never retried.
public struct PageContentError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// Reads one listing page: charset, HTML, then the site's XPath rules.
public struct ListingParser {
    public let site: CompiledSite

    public init(site: CompiledSite) { self.site = site }

    public func parse(_ response: HTTPResponse) throws -> ParsedPage {
        if let type = response.contentType?.lowercased(), !type.hasPrefix("text/html"),
           !type.hasPrefix("application/xhtml"), !type.hasPrefix("text/plain") {
            throw PageContentError(message: "not an HTML page (Content-Type \(type))")
        }
        guard !response.body.isEmpty else { throw PageContentError(message: "empty response body") }
        guard !Charset.looksBinary(response.body) else { throw PageContentError(message: "not an HTML page (binary content)") }
        let encoding = Charset.detect(contentType: response.contentType, body: response.body)
        return try parse(bytes: response.body, encoding: encoding, baseURL: response.effectiveURL)
    }

    public func parse(bytes: [UInt8], encoding: String, baseURL: String) throws -> ParsedPage {
        let document: HTMLDocument
        do { document = try HTMLDocument(bytes: bytes, encoding: encoding, url: baseURL) } catch {
            throw PageContentError(message: "unparseable page: \(error)")
        }
        let definition = site.definition
        guard try !document.select(definition.listingXPath).isEmpty else {
            throw PageContentError(message: "page structure not recognized: no \(definition.listingXPath)")
        }
        var casts = [ParsedCast]()
        var withoutID = 0
        for node in try document.select(definition.castXPath) {
            let id = extract(try node.string(definition.castID.xpath), site.idPattern)
            guard !id.isEmpty else { withoutID += 1; continue }
            let name = extract(try node.string(definition.castName.xpath), site.namePattern)
            let raw = extract(try node.string(definition.castStatus.xpath), site.statusPattern)
            casts.append(ParsedCast(siteCastID: id, name: name.isEmpty ? id : name, rawStatus: raw,
                                    status: site.normalize(raw)))
        }
        var next: String?
        if let nextXPath = definition.nextPageXPath {
            let href = try document.string(nextXPath)
            if !href.isEmpty, let url = URL(string: href, relativeTo: URL(string: baseURL)) { next = url.absoluteString }
        }
        return ParsedPage(casts: casts, nextPageURL: next, castsWithoutID: withoutID)
    }

    private func extract(_ text: String, _ pattern: NSRegularExpression?) -> String {
        guard let pattern else { return text }
        guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return "" }
        let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        return Range(group, in: text).map { String(text[$0]) } ?? ""
    }
}
