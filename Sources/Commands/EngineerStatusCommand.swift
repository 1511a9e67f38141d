import ArgumentParser
import EngineerStatus
import NightshiftCore

public struct EngineerStatusCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "engineer-status",
        abstract: "Keep engineers' placement (working, waiting_soon, waiting) current from their project assignments (daily 02:00).",
        discussion: "Exit codes: 0 succeeded or skipped, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    public var fixedNow: String? { clock.now }

    public typealias Work = EngineerStatusJob
    public var jobOptions: EngineerStatusJob.Options { EngineerStatusJob.Options() }
}
