import Foundation

/// The sites `status-collect` can read: the built-in ones shipped with the program and the
/// operator's definition files (`*.json` in `status_collection.sites_dir`), which may add sites
/// or replace a built-in one of the same name.
public struct SiteRegistry: Sendable {
    public private(set) var sites: [String: CompiledSite] = [:]
    public private(set) var origins: [String: String] = [:]

    public static let builtInNames = ["cityheaven", "dto"]

    public init(directory: String?) throws {
        for name in Self.builtInNames {
            guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Sites") else {
                throw SiteDefinitionError(origin: "built-in \(name)", field: "file", problem: "the bundled definition")
            }
            try add(url, origin: "built-in \(name)")
        }
        guard let directory else { return }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw SiteDefinitionError(origin: directory, field: "status_collection.sites_dir", problem: "a readable directory")
        }
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            try add(URL(fileURLWithPath: path), origin: path)
        }
    }

    private mutating func add(_ url: URL, origin: String) throws {
        let definition: SiteDefinition
        do {
            definition = try JSONDecoder().decode(SiteDefinition.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw SiteDefinitionError(origin: origin, field: Self.path(of: error), problem: Self.expectation(of: error))
        } catch {
            throw SiteDefinitionError(origin: origin, field: "file", problem: "a readable JSON file (\(error.localizedDescription))")
        }
        let site = try CompiledSite(definition, origin: origin)
        sites[site.name] = site
        origins[site.name] = origin
    }

    public subscript(name: String) -> CompiledSite? { sites[name] }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c): return (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        @unknown default: return "file"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "file" : path
    }

    private static func expectation(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "this key to be present"
        case .typeMismatch(let type, _): return "a value of type \(type)"
        case .valueNotFound(let type, _): return "a value of type \(type)"
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty ? "valid JSON" : "one of " + CastStatus.allCases.filter { $0 != .unknown }.map(\.rawValue).joined(separator: ", ") + " or a valid value"
        @unknown default: return "a valid value"
        }
    }
}
