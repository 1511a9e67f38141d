import Configuration
import Foundation
import SystemPackage

/// Layered settings read through swift-configuration: environment variables override the JSON
/// file. Keys are dotted (`status_collection.interval`); the environment name is derived by
/// swift-configuration (`STATUS_COLLECTION_INTERVAL`). Every typed read validates and reports a
/// bad value as a `ConfigurationError` naming the key and its source.
public struct ConfigValues: Sendable {
    struct Layer: Sendable {
        let describe: @Sendable (_ encodedKey: String) -> String
        let provider: any ConfigProvider
    }

    let layers: [Layer]
    public let filePath: String?
    /// The file's keys (dotted), for reporting keys the suite does not know.
    public let fileKeys: [String]
    /// With `collecting`, a bad value is recorded here and its default used, so one run reports
    /// every bad setting at once instead of one per run; the caller ends the run if any.
    public let problems: ConfigProblems?

    /// `filePath` nil: environment only. `environment` lets tests pass their own variables.
    public static func load(filePath: String?, environment: [String: String]? = nil,
                            collecting: Bool = false) async throws -> ConfigValues {
        let env = environment.map { EnvironmentVariablesProvider(environmentVariables: $0) } ?? EnvironmentVariablesProvider()
        var layers = [Layer(describe: { "environment variable \($0)" }, provider: env)]
        var fileKeys: [String] = []
        if let filePath {
            guard FileManager.default.isReadableFile(atPath: filePath) else {
                throw ConfigurationError(key: "--config", source: "argument or NIGHTSHIFT_CONFIG",
                                         expected: "a readable JSON file, but \(filePath) cannot be read")
            }
            fileKeys = try ConfigFileSyntax.keys(ofFile: filePath)
            do {
                let file = try await FileProvider<JSONSnapshot>(filePath: FilePath(filePath))
                layers.append(Layer(describe: { "config file \(filePath), key \($0)" }, provider: file))
            } catch {
                throw ConfigurationError(key: "--config", source: filePath, expected: "a JSON object of settings")
            }
        }
        return ConfigValues(layers: layers, filePath: filePath, fileKeys: fileKeys, problems: collecting ? ConfigProblems() : nil)
    }

    public static func inMemory(_ values: [String: String]) -> ConfigValues {
        ConfigValues(layers: [Layer(describe: { "environment variable \($0)" },
                                    provider: EnvironmentVariablesProvider(environmentVariables: values))],
                     filePath: nil, fileKeys: [], problems: nil)
    }

    /// The same settings, read with a bad value thrown at once (for reads after the collected
    /// problems were checked).
    public var throwing: ConfigValues { ConfigValues(layers: layers, filePath: filePath, fileKeys: fileKeys, problems: nil) }

    /// Throws `error`, or with `problems`, records it and returns `fallback`.
    func reject<T>(_ error: ConfigurationError, _ fallback: T) throws -> T {
        guard let problems else { throw error }
        problems.record(error)
        return fallback
    }

    /// Keys of the file the suite does not know, each with the nearest known key when one is close.
    public var unknownFileKeys: [(key: String, suggestion: String?)] {
        fileKeys.filter { !ConfigKeys.isKnown($0) }.map { ($0, ConfigKeys.nearest(to: $0)) }
    }

    /// The first layer holding `key`, with a description of where it was found.
    func lookup(_ key: String, _ type: ConfigType, expected: String) throws -> (ConfigContent, String)? {
        let absolute = AbsoluteConfigKey(ConfigKey(key))
        for layer in layers {
            let result: LookupResult
            do {
                result = try layer.provider.value(forKey: absolute, type: type)
            } catch {
                let encoded = (try? layer.provider.value(forKey: absolute, type: .string).encodedKey) ?? key
                return try reject(ConfigurationError(key: key, source: layer.describe(encoded), expected: expected), nil)
            }
            if let value = result.value { return (value.content, layer.describe(result.encodedKey)) }
        }
        return nil
    }

    public func string(_ key: String, default fallback: String) throws -> String {
        try optionalString(key) ?? fallback
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let (content, _) = try lookup(key, .string, expected: "a string") else { return nil }
        if case .string(let text) = content { return text }
        return nil
    }

    /// A required string: missing is an error naming every place it may be given.
    public func requiredString(_ key: String, secret: Bool = false) throws -> String {
        guard let value = try optionalString(key), !value.isEmpty else {
            let env = AbsoluteConfigKey(ConfigKey(key)).components.joined(separator: "_").uppercased()
            return try reject(ConfigurationError(key: key, source: "not set in environment variable \(env) or the config file",
                                                 expected: "a value"), "")
        }
        return value
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard let (content, source) = try lookup(key, .int, expected: expected) else { return fallback }
        guard case .int(let value) = content, range.contains(value) else {
            return try reject(ConfigurationError(key: key, source: source, expected: expected + ", got \(content.shortDescription)"), fallback)
        }
        return value
    }

    public func double(_ key: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        let expected = "a number from \(range.lowerBound) to \(range.upperBound)"
        guard let (content, source) = try lookup(key, .double, expected: expected) else { return fallback }
        guard case .double(let value) = content, range.contains(value) else {
            return try reject(ConfigurationError(key: key, source: source, expected: expected + ", got \(content.shortDescription)"), fallback)
        }
        return value
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let (content, _) = try lookup(key, .bool, expected: "true or false") else { return fallback }
        if case .bool(let value) = content { return value }
        return fallback
    }

    /// One of a fixed set of words.
    public func choice(_ key: String, default fallback: String, among choices: [String]) throws -> String {
        let expected = "one of " + choices.joined(separator: ", ")
        guard let (content, source) = try lookup(key, .string, expected: expected) else { return fallback }
        guard case .string(let text) = content, choices.contains(text.lowercased()) else {
            return try reject(ConfigurationError(key: key, source: source, expected: expected + ", got \(content.shortDescription)"), fallback)
        }
        return text.lowercased()
    }

    /// A value checked by `validate`, which returns nil for a bad value.
    public func parsed<T>(_ key: String, default fallback: T, expected: String,
                          secret: Bool = false, _ validate: (String) -> T?) throws -> T {
        guard let (content, source) = try lookup(key, .string, expected: expected) else { return fallback }
        guard case .string(let text) = content, let value = validate(text) else {
            let shown = secret ? "" : ", got \(content.shortDescription)"
            return try reject(ConfigurationError(key: key, source: source, expected: expected + shown), fallback)
        }
        return value
    }

    /// Where `key` is set, for messages about a value that was read fine but failed later.
    public func source(of key: String) -> String {
        return ((try? throwing.lookup(key, .string, expected: ""))??.1) ?? "default"
    }
}

extension ConfigContent {
    var shortDescription: String {
        switch self {
        case .string(let s): return "\"\(s.prefix(80))\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return "a list"
        }
    }
}

extension ConfigValues {
    /// Throws when settings were found bad while reading them (their lines are in `problems`).
    public static func raise(_ problems: [ConfigurationError]) throws {
        if !problems.isEmpty { throw ConfigProblemsFound() }
    }
}

/// Some settings were bad; each is in `ConfigValues.problems`.
public struct ConfigProblemsFound: Error {}

/// Bad settings found while reading a configuration, in the order they were read.
public final class ConfigProblems: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [ConfigurationError] = []

    func record(_ error: ConfigurationError) {
        lock.lock(); defer { lock.unlock() }
        if !errors.contains(where: { $0.key == error.key }) { errors.append(error) }
    }

    public var all: [ConfigurationError] {
        lock.lock(); defer { lock.unlock() }
        return errors
    }
}
