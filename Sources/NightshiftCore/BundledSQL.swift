import Foundation

/// SQL files shipped as a module's resources (`SQL/NAME.sql`), read once at start-up.
public enum BundledSQL {
    public static func load(_ name: String, from bundle: Bundle) -> String {
        guard let url = bundle.url(forResource: name, withExtension: "sql", subdirectory: "SQL"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled SQL/\(name).sql is missing from this install")
        }
        return text
    }
}
