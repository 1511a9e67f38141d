import Foundation
import NightshiftCore

/// The suite's `crontab` file: checked line by line and rendered with an install's paths.
public struct Crontab {
    public struct Entry: Equatable {
        public let schedule: [String]
        public let command: String

        public init(schedule: [String], command: String) {
            self.schedule = schedule
            self.command = command
        }
        /// The executable's name (last path component of the command's first word).
        public var executable: String {
            (command.split(separator: " ").first.map(String.init) ?? "").split(separator: "/").last.map(String.init) ?? ""
        }
    }

    public struct Problem: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "crontab line \(line): \(message)" }
    }

    public let text: String

    public init(text: String) { self.text = text }

    /// Active schedule lines (comments, blanks and `NAME=value` lines skipped), each validated.
    public func entries() throws -> [Entry] {
        var entries = [Entry]()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let eq = line.firstIndex(of: "="), !line[..<eq].contains(where: { $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count >= 6 else { throw Problem(line: index + 1, message: "expected 5 time fields and a command") }
            let schedule = Array(fields[0..<5])
            for (field, spec) in zip(schedule, Self.fieldSpecs) where !Self.valid(field, spec) {
                throw Problem(line: index + 1, message: "invalid \(spec.name) field \"\(field)\"")
            }
            entries.append(Entry(schedule: schedule, command: fields[5...].joined(separator: " ")))
        }
        return entries
    }

    /// The file with `NIGHTSHIFT_HOME`, `NIGHTSHIFT_BIN`, `NIGHTSHIFT_CONFIG` and `LOG_DIR` set for
    /// this install. `logDirectory` nil: the config file sets `log.dir`, and the crontab must not
    /// override it (an environment variable would win over the file), so the line becomes a comment.
    public func rendered(home: String, binDirectory: String, configPath: String, logDirectory: String?) -> String {
        let values = ["NIGHTSHIFT_HOME": home, "NIGHTSHIFT_BIN": binDirectory, "NIGHTSHIFT_CONFIG": configPath]
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            for (name, value) in values where line.hasPrefix(name + "=") { return "\(name)=\(value)" }
            if line.hasPrefix("LOG_DIR=") {
                return logDirectory.map { "LOG_DIR=\($0)" } ?? "# LOG_DIR: log.dir of \(configPath) applies"
            }
            return String(line)
        }.joined(separator: "\n")
    }

    /// The crontab for this install and the configuration in effect: `--config`, else
    /// `NIGHTSHIFT_CONFIG`, else `config.json` in the install. `LOG_DIR` is what the jobs would use
    /// now — the environment's, else the file's `log.dir` (left to the file), else `logs` in the
    /// install (cron runs jobs in the user's home, so a relative directory is made absolute
    /// against the install). Warnings (a config file that does not exist) come back separately.
    public static func forInstall(home: String, binDirectory: String, configOption: String?,
                                  environment: [String: String]) async throws -> (text: String, warnings: [String]) {
        let text = try String(contentsOfFile: home + "/crontab", encoding: .utf8)
        let chosen = configOption ?? environment["NIGHTSHIFT_CONFIG"] ?? home + "/config.json"
        let configPath = URL(fileURLWithPath: chosen).standardizedFileURL.path
        var warnings: [String] = []
        let exists = FileManager.default.isReadableFile(atPath: configPath)
        if !exists {
            warnings.append("config file \(configPath) does not exist (or cannot be read): scheduled jobs will stop with " +
                            "exit 78 until it does; create it, or pass --config")
        }
        let config = try await ConfigValues.load(filePath: exists ? configPath : nil, environment: environment)
        let source = config.source(of: "log.dir")
        let value = try config.string("log.dir", default: "logs")
        let absolute = value.hasPrefix("/") ? value : URL(fileURLWithPath: home).appendingPathComponent(value).standardizedFileURL.path
        let fromFile = source.hasPrefix("config file") && value.hasPrefix("/")
        return (Crontab(text: text).rendered(home: home, binDirectory: binDirectory, configPath: configPath,
                                             logDirectory: fromFile ? nil : absolute), warnings)
    }

    struct FieldSpec { let name: String; let range: ClosedRange<Int>; let names: [String] }

    static let fieldSpecs = [
        FieldSpec(name: "minute", range: 0...59, names: []),
        FieldSpec(name: "hour", range: 0...23, names: []),
        FieldSpec(name: "day-of-month", range: 1...31, names: []),
        FieldSpec(name: "month", range: 1...12,
                  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        FieldSpec(name: "day-of-week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    /// One cron field: `*`, numbers, names, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`.
    static func valid(_ field: String, _ spec: FieldSpec) -> Bool {
        func value(_ text: Substring) -> Int? {
            if let number = Int(text) { return spec.range.contains(number) ? number : nil }
            guard let index = spec.names.firstIndex(of: text.lowercased()) else { return nil }
            return index + spec.range.lowerBound
        }
        return field.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { item in
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return false }
            if parts.count == 2 {
                guard let step = Int(parts[1]), step >= 1, step <= spec.range.upperBound else { return false }
            }
            let base = parts[0]
            if base == "*" { return true }
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1: return value(bounds[0]) != nil && parts.count == 1
            case 2:
                guard let low = value(bounds[0]), let high = value(bounds[1]) else { return false }
                return low <= high
            default: return false
            }
        }
    }
}
