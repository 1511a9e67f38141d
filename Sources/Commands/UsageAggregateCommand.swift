import ArgumentParser
import NightshiftCore
import UsageAggregation

public struct UsageAggregateCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "usage-aggregate",
        abstract: "Daily usage per active company (and system-wide) from users, engineers, activity and files.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @OptionGroup public var days: DaySelectionOptions

    public var fixedNow: String? { clock.now }

    public typealias Work = UsageAggregateJob

    public var jobOptions: UsageAggregateJob.Options {
        var options = UsageAggregateJob.Options()
        options.from = days.first
        options.to = days.last
        return options
    }
}
