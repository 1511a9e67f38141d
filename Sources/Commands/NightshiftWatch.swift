import ArgumentParser
import NightshiftCore
import Operations

public struct NightshiftWatch: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Check every job against its schedule, the ledger and the data; send alerts and recoveries (every 5 minutes).",
        discussion: "Exit codes: 0 the watch ran (alerts or not), 1 a notice or the heartbeat not delivered, 75 database unreachable (its alert sent by direct mail and the webhook), 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    public var fixedNow: String? { clock.now }

    @Option(name: .customLong("html"), help: ArgumentHelp("Also write the status page (index.html) into this directory.", valueName: "dir"))
    public var htmlDirectory: String?

    public typealias Work = WatchJob

    public var jobOptions: WatchJob.Options {
        var options = WatchJob.Options()
        options.htmlDirectory = htmlDirectory
        return options
    }
}
