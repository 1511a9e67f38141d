import ArgumentParser
import NightshiftCore
import Notifications

public struct NotifyCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Drain the notification queue: email through the outbox, in-app marked delivered (every minute; several hosts may run it at once).",
        discussion: "Exit codes: 0 succeeded, 1 partial (a notification rejected or given up: `nightshift failures`), 2 failed, "
            + "64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    public var fixedNow: String? { clock.now }

    public typealias Work = NotifyJob
    public var jobOptions: NotifyJob.Options { NotifyJob.Options() }
}
