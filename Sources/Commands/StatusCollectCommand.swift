import ArgumentParser
import NightshiftCore
import StatusCollection

public struct StatusCollectCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "status-collect",
        abstract: "Record each open business's cast statuses for the current 30-minute slot.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @Flag(help: "Collect every active business, ignoring opening hours.") public var force = false
    @Option(name: .customLong("business-id"), help: "Collect only this business (repeatable).") public var businessIDs: [Int] = []

    public var fixedNow: String? { clock.now }

    public typealias Work = StatusCollectionJob

    public var jobOptions: StatusCollectionJob.Options {
        var options = StatusCollectionJob.Options()
        options.force = force
        options.businessIDs = businessIDs
        return options
    }
}
