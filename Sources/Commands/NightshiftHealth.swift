import ArgumentParser
import Backups
import Foundation
import Maintenance
import NightshiftCore

/// `nightshift health`: the health report maintenance makes every run, measured now and printed
/// (nothing stored); exit 1 when any check is not ok.
public struct NightshiftHealth: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "The database's and the suite's health now: wraparound, sessions, connections, slots, sequences, bloat, indexes, growth, disk, backups, jobs.",
        discussion: "Exit codes: 0 every check ok, 1 a warning or worse, 75 database unreachable, 78 configuration.")
    @OptionGroup public var run: RunOptions
    @Flag(help: "JSON output.") public var json = false

    public func run() async throws {
        var level = HealthReport.Level.ok
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let backup = try BackupSettings.load(session.config)
            let monitor = try HealthMonitor.load(session.config, core: session.settings, backup: backup,
                                                 output: try session.config.string("output.dir", default: "output"))
            let report = try monitor.measure(try session.connect(), now: Date())
            print(json ? report.json : report.text)
            level = report.level
        }
        if level != .ok { throw ExitCode(1) }
    }
}
