import Foundation

/// Works out a page's character set the way browsers do for our purposes: the HTTP header's
/// `charset` first, then a `<meta>` declaration in the first bytes, else UTF-8.
public enum Charset {
    /// An iconv name libxml2 can convert from.
    public static func detect(contentType: String?, body: [UInt8]) -> String {
        if let declared = contentType.flatMap(charsetParameter) { return canonical(declared) }
        // A page cannot announce UTF-16 in its own 8-bit bytes: browsers then read it as UTF-8
        // (HTML's "prescan", step "if charset is UTF-16BE/LE, set it to UTF-8").
        if let declared = metaCharset(body) {
            let name = canonical(declared)
            return name.hasPrefix("UTF-16") ? "UTF-8" : name
        }
        return "UTF-8"
    }

    /// True when the body looks like binary data rather than text (NUL bytes near the start).
    public static func looksBinary(_ body: [UInt8]) -> Bool {
        body.prefix(8192).contains(0)
    }

    static func canonical(_ name: String) -> String {
        switch name.lowercased() {
        // Sites that say Shift_JIS in practice use Microsoft's superset (丸数字, ㈱ …).
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "cp932", "ms_kanji": return "CP932"
        case "euc-jp", "x-euc-jp", "eucjp": return "EUC-JP"
        case "utf8", "utf-8": return "UTF-8"
        default: return name.uppercased()
        }
    }

    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Finds `<meta charset=X>` or `<meta http-equiv=Content-Type content="…; charset=X">`.
    static func metaCharset(_ body: [UInt8]) -> String? {
        let head = String(decoding: body.prefix(4096).map { $0 < 128 ? $0 : UInt8(ascii: " ") }, as: UTF8.self).lowercased()
        var searchFrom = head.startIndex
        while let meta = head.range(of: "<meta", range: searchFrom..<head.endIndex) {
            let tagEnd = head.range(of: ">", range: meta.upperBound..<head.endIndex)?.lowerBound ?? head.endIndex
            let tag = String(head[meta.upperBound..<tagEnd])
            if let range = tag.range(of: "charset=") {
                let rest = tag[range.upperBound...].drop(while: { $0 == "\"" || $0 == "'" || $0 == " " })
                let value = rest.prefix(while: { $0.isLetter || $0.isNumber || "-_".contains($0) })
                if !value.isEmpty { return String(value) }
            }
            searchFrom = tagEnd
        }
        return nil
    }
}
