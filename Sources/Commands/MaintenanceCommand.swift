import ArgumentParser
import Maintenance
import NightshiftCore

public struct MaintenanceCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Weekly upkeep: month partitions of the samples created ahead, old months archived and dropped once nothing is lost.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }

    public var fixedNow: String? { clock.now }

    public typealias Work = MaintenanceJob

    public var jobOptions: MaintenanceJob.Options { MaintenanceJob.Options() }
}
