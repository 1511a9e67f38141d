import Foundation

/// The encodings a MIME message needs for non-ASCII text: RFC 2047 encoded words in headers,
/// RFC 2231 parameter values (file names), base64 bodies in 76-character lines.
enum MIMEEncoding {
    static let crlf = "\r\n"

    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
    }

    /// A header value: as is when plain ASCII, else `=?UTF-8?B?…?=` words, each at most 60
    /// characters, never splitting a character, folded onto continuation lines.
    static func headerText(_ text: String) -> String {
        if isPlainASCII(text) && text.count <= 900 { return text }
        return encodedWords(text).joined(separator: crlf + " ")
    }

    /// A display name: quoted when plain ASCII with specials, else encoded words.
    static func phrase(_ text: String) -> String {
        guard isPlainASCII(text) else { return headerText(text) }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if text.unicodeScalars.allSatisfy({ atext.contains($0) }) { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func encodedWords(_ text: String) -> [String] {
        // 36 bytes make 48 base64 characters: a 60-character word with `=?UTF-8?B?` and `?=`.
        let maxBytes = 36
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maxBytes && !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?\(Data(bytes).base64EncodedString())?=" }

    /// `name="value"` for ASCII, else `name*=UTF-8''percent-encoded` (RFC 2231).
    static func parameter(_ name: String, _ value: String) -> String {
        if isPlainASCII(value) && !value.contains("\"") && !value.contains("\\") { return "\(name)=\"\(value)\"" }
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return "\(name)*=UTF-8''" + (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
    }

    /// Base64 in lines of 76 characters, each ended by CRLF.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        var out = ""
        out.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        for start in stride(from: 0, to: encoded.count, by: 76) {
            out += String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self) + crlf
        }
        return out
    }
}
