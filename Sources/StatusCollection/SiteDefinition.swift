import Foundation
import Web

/// How to read one portal site's cast listing, as data: built-in sites and operators' own
/// site files use the same format (see docs/operations.md, "Adding a site").
public struct SiteDefinition: Codable, Sendable {
    public struct Field: Codable, Sendable {
        /// XPath relative to the cast's node; its string value is taken.
        public var xpath: String
        /// Optional regular expression; its first capture group (or whole match) is taken.
        public var pattern: String?
    }

    public struct StatusRule: Codable, Sendable {
        /// The status text exactly (after collapsing whitespace) …
        public var match: String?
        /// … or a regular expression searched in it.
        public var regex: String?
        public var status: CastStatus
    }

    public var name: String
    /// Listing URLs of this site must match this regular expression (checked by `nightshift check`).
    public var listingURLPattern: String?
    /// A node that every real listing page has; its absence means the page is not a listing.
    public var listingXPath: String
    /// One node per cast.
    public var castXPath: String
    public var castID: Field
    public var castName: Field
    public var castStatus: Field
    /// The next page's link (href), if the listing is paginated.
    public var nextPageXPath: String?
    public var maxPages: Int?
    public var statuses: [StatusRule]

    enum CodingKeys: String, CodingKey {
        case name, statuses
        case listingURLPattern = "listing_url_pattern"
        case listingXPath = "listing_xpath"
        case castXPath = "cast_xpath"
        case castID = "cast_id"
        case castName = "cast_name"
        case castStatus = "cast_status"
        case nextPageXPath = "next_page_xpath"
        case maxPages = "max_pages"
    }
}

/// The normalized statuses every site's texts map to.
public enum CastStatus: String, Codable, Sendable, CaseIterable {
    case available  // on shift, free
    case busy       // on shift, with a customer
    case scheduled  // shift later today
    case finished   // shift over
    case off
    case unknown    // a text no rule matched: stored raw, never guessed
}

/// A definition checked and compiled, ready to parse pages.
public struct CompiledSite: @unchecked Sendable {
    public let definition: SiteDefinition
    let idPattern: NSRegularExpression?
    let namePattern: NSRegularExpression?
    let statusPattern: NSRegularExpression?
    let urlPattern: NSRegularExpression?
    let rules: [(exact: String?, regex: NSRegularExpression?, status: CastStatus)]

    public var name: String { definition.name }
    public var maxPages: Int { definition.maxPages ?? 1 }

    /// Compiles every expression; `origin` names the file in error messages.
    public init(_ definition: SiteDefinition, origin: String) throws {
        func fail(_ field: String, _ expected: String) -> SiteDefinitionError {
            SiteDefinitionError(origin: origin, field: field, problem: expected)
        }
        func regex(_ pattern: String?, _ field: String) throws -> NSRegularExpression? {
            guard let pattern else { return nil }
            do { return try NSRegularExpression(pattern: pattern) } catch {
                throw fail(field, "a valid regular expression, got \(pattern)")
            }
        }
        guard !definition.name.isEmpty, definition.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw fail("name", "a name of letters, digits, - and _")
        }
        let xpaths: [(String, String?)] = [
            ("listing_xpath", definition.listingXPath), ("cast_xpath", definition.castXPath),
            ("cast_id.xpath", definition.castID.xpath), ("cast_name.xpath", definition.castName.xpath),
            ("cast_status.xpath", definition.castStatus.xpath), ("next_page_xpath", definition.nextPageXPath),
        ]
        for (field, xpath) in xpaths {
            if let xpath, !validateXPath(xpath) { throw fail(field, "a valid XPath 1.0 expression, got \(xpath)") }
        }
        if let pages = definition.maxPages, !(1...100).contains(pages) { throw fail("max_pages", "1 to 100") }
        guard !definition.statuses.isEmpty else { throw fail("statuses", "at least one status rule") }
        var rules = [(exact: String?, regex: NSRegularExpression?, status: CastStatus)]()
        for (index, rule) in definition.statuses.enumerated() {
            guard (rule.match == nil) != (rule.regex == nil) else {
                throw fail("statuses[\(index)]", "exactly one of \"match\" or \"regex\"")
            }
            guard rule.status != .unknown else { throw fail("statuses[\(index)].status", "a status other than unknown") }
            rules.append((rule.match, try regex(rule.regex, "statuses[\(index)].regex"), rule.status))
        }
        self.definition = definition
        self.idPattern = try regex(definition.castID.pattern, "cast_id.pattern")
        self.namePattern = try regex(definition.castName.pattern, "cast_name.pattern")
        self.statusPattern = try regex(definition.castStatus.pattern, "cast_status.pattern")
        self.urlPattern = try regex(definition.listingURLPattern, "listing_url_pattern")
        self.rules = rules
    }

    /// Maps a status text to a normalized status: the first rule that matches wins.
    public func normalize(_ text: String) -> CastStatus {
        let range = NSRange(text.startIndex..., in: text)
        for rule in rules {
            if let exact = rule.exact, exact == text { return rule.status }
            if let regex = rule.regex, regex.firstMatch(in: text, range: range) != nil { return rule.status }
        }
        return .unknown
    }

    public func accepts(listingURL: String) -> Bool {
        guard let urlPattern else { return true }
        return urlPattern.firstMatch(in: listingURL, range: NSRange(listingURL.startIndex..., in: listingURL)) != nil
    }
}

public struct SiteDefinitionError: Error, CustomStringConvertible, Sendable {
    public let origin: String
    public let field: String
    public let problem: String
    public var description: String { "site definition \(origin): \(field): expected \(problem)" }
}
