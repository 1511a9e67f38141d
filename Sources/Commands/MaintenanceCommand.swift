import ArgumentParser
import Maintenance
import NightshiftCore

public struct MaintenanceCommand: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Weekly upkeep that never loses data, the health report, and the weekly performance analysis.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (or a health check not ok), 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [MaintenanceRun.self, MaintenanceAnalyze.self], defaultSubcommand: MaintenanceRun.self)
}

public struct MaintenanceRun: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Partitions, retention, statistics and indexes, leftovers, logs, then the health report (the default).")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }

    public var fixedNow: String? { clock.now }

    @Flag(help: "Print the health report as JSON.") public var json = false

    public typealias Work = MaintenanceJob

    public var jobOptions: MaintenanceJob.Options {
        var options = MaintenanceJob.Options()
        options.json = json
        return options
    }
}

public struct MaintenanceAnalyze: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "The week's performance against the week before: jobs, slowest statements, table growth, API calls by company.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @Flag(help: "Print the analysis as JSON.") public var json = false

    public var fixedNow: String? { clock.now }

    public typealias Work = MaintenanceAnalyzeJob

    public var jobOptions: MaintenanceAnalyzeJob.Options {
        var options = MaintenanceAnalyzeJob.Options()
        options.json = json
        return options
    }
}
