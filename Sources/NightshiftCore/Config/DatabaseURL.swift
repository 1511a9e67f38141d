import Foundation

/// Checks and redacts `DATABASE_URL` values (URL or libpq `key=value` form).
public enum DatabaseURL {
    /// What is wrong with the value, or nil when it looks usable. Never quotes the value.
    public static func problem(with value: String) -> String? {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            return URLComponents(string: value) == nil ? "a postgresql:// URL (this one does not parse)" : nil
        }
        if value.contains("=") { return nil }
        return "a postgresql://user@host:port/dbname URL or a libpq key=value string"
    }

    /// The password in the value, to be scrubbed from every output.
    public static func password(in value: String) -> String? {
        if let components = URLComponents(string: value), components.scheme?.hasPrefix("postgres") == true {
            if let password = components.password, !password.isEmpty { return password }
            // ?password=… is also accepted by libpq.
            return components.queryItems?.first(where: { $0.name == "password" })?.value
        }
        for part in value.split(separator: " ") where part.hasPrefix("password=") {
            return String(part.dropFirst("password=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return nil
    }

    public static func redacted(_ value: String) -> String {
        guard let password = password(in: value) else { return value }
        return value.replacingOccurrences(of: password, with: "***")
    }
}
