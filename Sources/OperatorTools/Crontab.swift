import Foundation
import NightshiftCore

/// The suite's crontab, made from the job registry: the shipped `crontab` file is this template
/// (a test keeps the two equal), and `nightshift crontab` renders it with an install's paths.
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
            do { _ = try CronSchedule(schedule.joined(separator: " ")) } catch { throw Problem(line: index + 1, message: "\(error)") }
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

    /// The crontab for this install and the configuration in effect (see `InstallConfig`). `LOG_DIR`
    /// is what the jobs would use now — the environment's, else the file's `log.dir` (left to the
    /// file), else `logs` in the install (cron runs jobs in the user's home, so a relative
    /// directory is made absolute against the install).
    public static func forInstall(home: String, binDirectory: String, configOption: String?,
                                  environment: [String: String]) async throws -> (text: String, warnings: [String]) {
        let install = try await InstallConfig.resolve(home: home, configOption: configOption, environment: environment)
        let config = install.values
        let source = config.source(of: "log.dir")
        let value = try config.string("log.dir", default: "logs")
        let absolute = value.hasPrefix("/") ? value : URL(fileURLWithPath: home).appendingPathComponent(value).standardizedFileURL.path
        let fromFile = source.hasPrefix("config file") && value.hasPrefix("/")
        return (Crontab(text: template).rendered(home: home, binDirectory: binDirectory, configPath: install.path,
                                                 logDirectory: fromFile ? nil : absolute), install.warnings)
    }
}
