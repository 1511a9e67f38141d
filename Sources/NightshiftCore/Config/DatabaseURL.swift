import Foundation

/// `DATABASE_URL` in either of libpq's forms — a `postgresql://` URL or `key=value` pairs — read
/// in one place: checked, its password taken out (for a child's environment, and for scrubbing
/// from every output), or pointed at another database.
public enum DatabaseURL {
    /// What is wrong with the value, or nil when it looks usable. Never quotes the value.
    public static func problem(with value: String) -> String? {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            return URLComponents(string: value) == nil ? "a postgresql:// URL (this one does not parse)" : nil
        }
        if value.contains("=") { return nil }
        return "a postgresql://user@host:port/dbname URL or a libpq key=value string"
    }

    /// The value without its password (optionally pointing at `database` instead), and the
    /// password (decoded: what the server expects).
    public static func split(_ value: String, database: String? = nil) -> (connectionString: String, password: String?) {
        if var components = URLComponents(string: value), components.scheme?.hasPrefix("postgres") == true {
            var password = components.password  // URLComponents decodes it once
            components.password = nil
            if let items = components.queryItems {
                password = password ?? items.first(where: { $0.name == "password" })?.value
                let kept = items.filter { $0.name != "password" }
                components.queryItems = kept.isEmpty ? nil : kept
            }
            if let database { components.path = "/" + database }
            return (components.string ?? value, password.flatMap { $0.isEmpty ? nil : $0 })
        }
        var password: String?
        var parts = keyValueParts(value).filter { part in
            if part.key == "password" { password = part.value; return false }
            return !(database != nil && part.key == "dbname")
        }
        if let database { parts.append((key: "dbname", value: database)) }
        return (parts.map { "\($0.key)=\(quoted($0.value))" }.joined(separator: " "), password.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The same connection settings, password included, for another database on the server
    /// (our own libpq connection to a scratch database).
    public static func pointing(_ value: String, at database: String) -> String {
        if var components = URLComponents(string: value), components.scheme?.hasPrefix("postgres") == true {
            components.path = "/" + database
            return components.string ?? value
        }
        let parts = keyValueParts(value).filter { $0.key != "dbname" } + [(key: "dbname", value: database)]
        return parts.map { "\($0.key)=\(quoted($0.value))" }.joined(separator: " ")
    }

    /// The password in the value, to be scrubbed from every output.
    public static func password(in value: String) -> String? { split(value).password }

    /// Every form the password may take in text a person could see: as the server gets it, and as
    /// written in the URL (percent-encoded).
    public static func secrets(in value: String) -> [String] {
        guard let password = password(in: value) else { return [] }
        var forms = [password]
        if let components = URLComponents(string: value), let encoded = components.percentEncodedPassword, encoded != password {
            forms.append(encoded)
        }
        return forms
    }

    /// The database the value names (libpq's default: the user's name), for messages written
    /// when it cannot be asked; nil when neither is given.
    public static func databaseName(in value: String) -> String? {
        if let components = URLComponents(string: value), components.scheme?.hasPrefix("postgres") == true {
            let path = String(components.path.drop { $0 == "/" })
            return path.isEmpty ? components.user : path
        }
        let parts = keyValueParts(value)
        return parts.last { $0.key == "dbname" }?.value ?? parts.last { $0.key == "user" }?.value
    }

    public static func redacted(_ value: String) -> String {
        secrets(in: value).reduce(value) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// libpq key=value pairs; values may be single-quoted with backslash escapes.
    static func keyValueParts(_ text: String) -> [(key: String, value: String)] {
        var parts: [(String, String)] = []
        var chars = Array(text)[...]
        func skipSpaces() { while chars.first?.isWhitespace == true { chars = chars.dropFirst() } }
        while true {
            skipSpaces()
            guard !chars.isEmpty else { break }
            var key = ""
            while let c = chars.first, c != "=", !c.isWhitespace { key.append(c); chars = chars.dropFirst() }
            skipSpaces()
            guard chars.first == "=" else { break }
            chars = chars.dropFirst()
            skipSpaces()
            var value = ""
            if chars.first == "'" {
                chars = chars.dropFirst()
                while let c = chars.first, c != "'" {
                    chars = chars.dropFirst()
                    if c == "\\", let next = chars.first { value.append(next); chars = chars.dropFirst() } else { value.append(c) }
                }
                chars = chars.dropFirst()
            } else {
                while let c = chars.first, !c.isWhitespace { value.append(c); chars = chars.dropFirst() }
            }
            parts.append((key, value))
        }
        return parts
    }

    static func quoted(_ value: String) -> String {
        if !value.isEmpty && !value.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\\" }) { return value }
        return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
