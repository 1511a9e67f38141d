import CLibXML2
import Foundation

public struct HTMLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// A parsed HTML page (libxml2's forgiving HTML parser) queried with XPath 1.0.
public final class HTMLDocument {
    fileprivate let doc: htmlDocPtr

    /// `encoding` is an iconv name (see `Charset`); the bytes are converted to UTF-8 while parsing.
    public init(bytes: [UInt8], encoding: String, url: String? = nil) throws {
        LibXML.ensureInitialized()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
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

    deinit { xmlFreeDoc(doc) }

    public var root: HTMLNode { HTMLNode(document: self, node: xmlDocGetRootElement(doc)) }

    public func select(_ xpath: String) throws -> [HTMLNode] { try root.select(xpath) }
    public func string(_ xpath: String) throws -> String { try root.string(xpath) }
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
        try evaluate(xpath) { result in
            guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
            return (0..<Int(set.pointee.nodeNr)).compactMap { index in
                set.pointee.nodeTab[index].map { HTMLNode(document: document, node: $0) }
            }
        }
    }

    /// The XPath `string()` of `xpath` relative to this node, whitespace collapsed.
    public func string(_ xpath: String) throws -> String {
        try evaluate("string(\(xpath))") { result in
            guard let value = result.pointee.stringval else { return "" }
            return String(cString: value).collapsingWhitespace
        }
    }

    /// The text content of this node, whitespace collapsed.
    public var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { xmlFree(content) }
        return String(cString: content).collapsingWhitespace
    }

    private func evaluate<T>(_ xpath: String, _ read: (xmlXPathObjectPtr) -> T) throws -> T {
        guard let context = xmlXPathNewContext(document.doc) else { throw HTMLError(message: "out of memory") }
        defer { xmlXPathFreeContext(context) }
        context.pointee.node = node
        guard let result = xmlXPathEvalExpression(xpath, context) else {
            throw HTMLError(message: "invalid XPath expression: \(xpath)")
        }
        defer { xmlXPathFreeObject(result) }
        return read(result)
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

extension String {
    var collapsingWhitespace: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
