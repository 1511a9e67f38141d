import Foundation

/// Reads a JSON config file for its keys, and turns a syntax error into one line a person can
/// act on — the file, line and column and what is wrong — instead of Foundation's error dump.
enum ConfigFileSyntax {
    /// Every leaf key of the file, dotted (`{"backup": {"dir": …}}` → `backup.dir`).
    static func keys(ofFile path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError(key: "--config", source: path, expected: "a readable file (\(error.localizedDescription))")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ConfigurationError(key: "--config", source: path, expected: "valid JSON: \(describe(error, in: data))")
        }
        guard let root = object as? [String: Any] else {
            throw ConfigurationError(key: "--config", source: path, expected: "a JSON object of settings at the top level")
        }
        return flatten(root, prefix: "")
    }

    static func flatten(_ object: [String: Any], prefix: String) -> [String] {
        object.keys.sorted().flatMap { name -> [String] in
            let key = prefix.isEmpty ? name : prefix + "." + name
            if let nested = object[name] as? [String: Any] { return flatten(nested, prefix: key) }
            return [key]
        }
    }

    /// `line 3, column 9: invalid value` from Foundation's "… around character 19."
    static func describe(_ error: Error, in data: Data) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        let bytes = [UInt8](data)
        var offset = bytes.count
        if let range = text.range(of: "around character "),
           let number = Int(text[range.upperBound...].prefix(while: \.isNumber)) { offset = min(number, bytes.count) }
        let before = bytes[..<offset]
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        var what = text.replacingOccurrences(of: #" around character \d+"#, with: "", options: .regularExpression)
        if what.hasSuffix(".") { what.removeLast() }
        return "line \(line), column \(column): \(what.prefix(1).lowercased() + what.dropFirst())"
    }
}
