import CLibXML2
import Foundation

public struct HTMLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// A parsed HTML page (libxml2's forgiving HTML parser) queried with XPath 1.0.
///
/// One XPath context per document (creating one registers every XPath function in a fresh hash
/// table, which costs more than evaluating a simple expression), and each expression compiled
/// once per document: a listing page evaluates the same few expressions for every cast. Not for
/// use from two threads at once.
public final class HTMLDocument {
    fileprivate let doc: htmlDocPtr
    private var context: xmlXPathContextPtr?
    private var compiled: [String: xmlXPathCompExprPtr] = [:]

    /// `encoding` is an iconv name (see `Charset`); the bytes are converted to UTF-8 while parsing.
    /// `XML_PARSE_HUGE` (`HTML_PARSE_HUGE` in later libxml2) lifts libxml2's nesting limit (256 levels), which old pages with hundreds
    /// of unclosed `<font>` tags exceed before their listing; the size of what is parsed is capped
    /// by the fetcher.
    public init(bytes: [UInt8], encoding: String, url: String? = nil) throws {
        LibXML.ensureInitialized()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), url, encoding, options)
            }
        }
        guard let parsed, xmlDocGetRootElement(parsed) != nil else {
            if let parsed { xmlFreeDoc(parsed) }
            throw HTMLError(message: "no HTML document could be parsed from the body")
        }
        doc = parsed
    }

    deinit {
        for expression in compiled.values { xmlXPathFreeCompExpr(expression) }
        if let context { xmlXPathFreeContext(context) }
        xmlFreeDoc(doc)
    }

    public var root: HTMLNode { HTMLNode(document: self, node: xmlDocGetRootElement(doc)) }

    public func select(_ xpath: String) throws -> [HTMLNode] { try root.select(xpath) }
    public func string(_ xpath: String) throws -> String { try root.string(xpath) }

    fileprivate func evaluate<T>(_ xpath: String, at node: xmlNodePtr, _ read: (xmlXPathObjectPtr) -> T) throws -> T {
        if context == nil {
            context = xmlXPathNewContext(doc)
            // Reuse XPath objects (node sets, strings) between evaluations instead of a
            // malloc and free for each: a page evaluates a few expressions per cast.
            if let context { xmlXPathContextSetCache(context, 1, -1, 0) }
        }
        guard let context else { throw HTMLError(message: "out of memory") }
        let expression: xmlXPathCompExprPtr
        if let known = compiled[xpath] {
            expression = known
        } else {
            guard let new = xmlXPathCtxtCompile(context, xpath) else { throw HTMLError(message: "invalid XPath expression: \(xpath)") }
            compiled[xpath] = new
            expression = new
        }
        context.pointee.node = node
        guard let result = xmlXPathCompiledEval(expression, context) else {
            throw HTMLError(message: "invalid XPath expression: \(xpath)")
        }
        defer { xmlXPathFreeObject(result) }
        return read(result)
    }
}

/// A node of an `HTMLDocument`; keeps its document alive.
public struct HTMLNode {
    let document: HTMLDocument
    let node: xmlNodePtr

    init(document: HTMLDocument, node: xmlNodePtr) {
        self.document = document
        self.node = node
    }

    /// Nodes matched by `xpath`, evaluated with this node as the context node.
    public func select(_ xpath: String) throws -> [HTMLNode] {
        try document.evaluate(xpath, at: node) { result in
            guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
            return (0..<Int(set.pointee.nodeNr)).compactMap { index in
                set.pointee.nodeTab[index].map { HTMLNode(document: document, node: $0) }
            }
        }
    }

    /// The XPath `string()` of `xpath` relative to this node, whitespace collapsed.
    public func string(_ xpath: String) throws -> String {
        try document.evaluate("string(\(xpath))", at: node) { result in
            guard let value = result.pointee.stringval else { return "" }
            return collapsingWhitespace(value)
        }
    }

    /// The text content of this node, whitespace collapsed.
    public var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { xmlFree(content) }
        return collapsingWhitespace(content)
    }
}

/// The UTF-8 text at `text` with runs of white space (Unicode's White_Space) made one space and
/// none at either end, in one pass over the bytes.
func collapsingWhitespace(_ text: UnsafePointer<xmlChar>) -> String {
    let bytes = UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
    return String(unsafeUninitializedCapacity: bytes.count) { output in
        var count = 0, pendingSpace = false, index = 0
        while index < bytes.count {
            let width = whitespaceWidth(bytes, at: index)
            if width > 0 {
                pendingSpace = count > 0
                index += width
                continue
            }
            if pendingSpace { output[count] = 0x20; count += 1; pendingSpace = false }
            output[count] = bytes[index]
            count += 1
            index += 1
        }
        return count
    }
}

/// The length in bytes of the White_Space character at `index`, or 0.
private func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let b = bytes[index]
    if b < 0x80 { return (b == 0x20 || (0x09...0x0D).contains(b)) ? 1 : 0 }
    func next(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
    switch (b, next(1), next(2)) {
    case (0xC2, 0x85, _), (0xC2, 0xA0, _): return 2                    // NEL, NO-BREAK SPACE
    case (0xE1, 0x9A, 0x80): return 3                                  // OGHAM SPACE MARK
    case (0xE2, 0x80, let c) where (0x80...0x8A).contains(c) || c == 0xA8 || c == 0xA9 || c == 0xAF: return 3
    case (0xE2, 0x81, 0x9F): return 3                                  // MEDIUM MATHEMATICAL SPACE
    case (0xE3, 0x80, 0x80): return 3                                  // IDEOGRAPHIC SPACE
    default: return 0
    }
}

/// Checks an XPath expression compiles, without a document (for validating site definitions).
public func validateXPath(_ xpath: String) -> Bool {
    LibXML.ensureInitialized()
    guard let compiled = xmlXPathCompile(xpath) else { return false }
    xmlXPathFreeCompExpr(compiled)
    return true
}

enum LibXML {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
    static func ensureInitialized() {
        _ = initialized
        ns_xml_silence_errors()
    }
}


