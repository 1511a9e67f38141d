import Foundation
import NightshiftCore

/// The config file the scheduled jobs of an install use — `--config`, else `NIGHTSHIFT_CONFIG`,
/// else `config.json` in the install — and the values in effect (the file, if it exists, under
/// the environment). A file that does not exist is a warning, not an error: the schedule can be
/// installed before the file is written.
public struct InstallConfig {
    public let path: String
    public let values: ConfigValues
    public let warnings: [String]

    public static func resolve(home: String, configOption: String?, environment: [String: String]) async throws -> InstallConfig {
        let chosen = configOption ?? environment["NIGHTSHIFT_CONFIG"] ?? home + "/config.json"
        let path = URL(fileURLWithPath: chosen).standardizedFileURL.path
        let exists = FileManager.default.isReadableFile(atPath: path)
        let warnings = exists ? [] : ["config file \(path) does not exist (or cannot be read): scheduled jobs will stop with "
                                      + "exit 78 until it does; create it, or pass --config"]
        let values = try await ConfigValues.load(filePath: exists ? path : nil, environment: environment)
        return InstallConfig(path: path, values: values, warnings: warnings)
    }

    /// The suite's `timezone`: the zone every schedule is read in.
    public var timeZone: TimeZone {
        get throws {
            try values.parsed("timezone", default: TimeZone(identifier: "Asia/Tokyo")!,
                              expected: "an IANA time zone name such as Asia/Tokyo") { TimeZone(identifier: $0) }
        }
    }

    /// The file's text, `{}` when there is none (for a ConfigMap).
    public var fileText: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "{}" }
}
