import Foundation
import Mustache
import NightshiftCore

/// Plain-text Mustache templates of one kind of document (`templates/<kind>/`), for the texts an
/// operator may edit: document blocks, notes, mail subjects and bodies. `{{name}}` inserts a value as is
/// (no HTML escaping: these are not web pages).
public struct TextTemplates: Sendable {
    public let directory: String
    private let templates: [String: MustacheTemplate]

    /// Loads `names` (files `NAME.mustache`); a missing or malformed one is an error naming it.
    public init(directory: String, names: [String]) throws {
        var templates: [String: MustacheTemplate] = [:]
        for name in names {
            let path = "\(directory)/\(name).mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DocumentError("template \(path) is missing or unreadable")
            }
            do {
                templates[name] = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
            } catch {
                throw DocumentError("template \(path) is malformed: \(error)")
            }
        }
        self.directory = directory
        self.templates = templates
    }

    /// The templates `names` of a kind of document, from `templates.dir` (this install's
    /// `templates/` by default); missing or malformed ones are a configuration error.
    public init(kind: String, config: ConfigValues, names: [String]) throws {
        let directory = try config.string("templates.dir", default: TextTemplates.installDirectory)
        do {
            try self.init(directory: directory + "/" + kind, names: names)
        } catch {
            throw ConfigurationError(key: "templates.dir", source: config.source(of: "templates.dir"),
                                     expected: "a directory with \(kind)/*.mustache (\(error))")
        }
    }

    /// Every template of a kind (`templates.dir`/KIND/*.mustache), for texts chosen by name at run
    /// time (a notification's template); a malformed one is a configuration error naming it.
    public init(kind: String, config: ConfigValues) throws {
        let directory = try config.string("templates.dir", default: TextTemplates.installDirectory) + "/" + kind
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }.sorted()
        do {
            try self.init(directory: directory, names: names)
        } catch {
            throw ConfigurationError(key: "templates.dir", source: config.source(of: "templates.dir"),
                                     expected: "a directory with \(kind)/*.mustache (\(error))")
        }
    }

    public func has(_ name: String) -> Bool { templates[name] != nil }

    /// A template held elsewhere than in a file (a company's approach text in the database);
    /// throws `DocumentError` when it does not parse.
    public static func render(text: String, _ values: [String: Any]) throws -> String {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text).render(values).trimmingCharacters(in: .newlines)
        } catch {
            throw DocumentError("the template does not parse: \(error)")
        }
    }

    public func render(_ name: String, _ values: [String: Any]) -> String {
        guard let template = templates[name] else { preconditionFailure("template \(name) was not loaded") }
        return template.render(values).trimmingCharacters(in: .newlines)
    }

    /// `templates/` of this install: the nearest one above the executable (`.build/release/…`
    /// or `.build/<triple>/release/…` of a checkout) that holds a kind's directory, else the
    /// working directory's.
    public static var installDirectory: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("templates")
            let kinds = (try? FileManager.default.contentsOfDirectory(atPath: candidate.path)) ?? []
            if kinds.contains(where: { isDirectory(candidate.appendingPathComponent($0).path) }) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return "templates"
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
