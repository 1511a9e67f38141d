import Foundation

/// How pg_dump / pg_restore reach a database: a connection string without the password (it
/// goes in argv, which any local user may read in /proc) and the password for the child's
/// environment (`PGPASSWORD`, readable only by the same user).
public struct ClientConnection: Sendable {
    public let connectionString: String
    public let password: String?

    public var environment: [String: String] { password.map { ["PGPASSWORD": $0] } ?? [:] }

    /// From `DATABASE_URL` (URL or key=value form), optionally pointing at another database.
    public init(databaseURL: String, database: String? = nil) {
        if var components = URLComponents(string: databaseURL), components.scheme?.hasPrefix("postgres") == true {
            var password = components.password
            components.password = nil
            if let items = components.queryItems {
                password = password ?? items.first(where: { $0.name == "password" })?.value
                let kept = items.filter { $0.name != "password" }
                components.queryItems = kept.isEmpty ? nil : kept
            }
            if let database { components.path = "/" + database }
            self.init(connectionString: components.string ?? databaseURL, password: password.map { $0.removingPercentEncoding ?? $0 })
        } else {
            var password: String?
            var parts = ClientConnection.keyValueParts(databaseURL).filter { part in
                if part.key == "password" { password = part.value; return false }
                return !(database != nil && part.key == "dbname")
            }
            if let database { parts.append((key: "dbname", value: database)) }
            let text = parts.map { "\($0.key)=\(ClientConnection.quoted($0.value))" }.joined(separator: " ")
            self.init(connectionString: text, password: password)
        }
    }

    init(connectionString: String, password: String?) {
        self.connectionString = connectionString
        self.password = password
    }

    /// libpq key=value pairs; values may be single-quoted with backslash escapes.
    static func keyValueParts(_ text: String) -> [(key: String, value: String)] {
        var parts: [(String, String)] = []
        var chars = Array(text)[...]
        while true {
            while chars.first?.isWhitespace == true { chars = chars.dropFirst() }
            guard !chars.isEmpty else { break }
            var key = ""
            while let c = chars.first, c != "=", !c.isWhitespace { key.append(c); chars = chars.dropFirst() }
            while chars.first?.isWhitespace == true { chars = chars.dropFirst() }
            guard chars.first == "=" else { break }
            chars = chars.dropFirst()
            while chars.first?.isWhitespace == true { chars = chars.dropFirst() }
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
