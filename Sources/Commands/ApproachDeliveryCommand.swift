import ApproachDelivery
import ArgumentParser
import NightshiftCore

public struct ApproachDeliveryCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "approach-delivery",
        abstract: "Deliver every companies' approach that is due: one email per engineer matching now, once per period (every 15 minutes).",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    public var fixedNow: String? { clock.now }

    public typealias Work = ApproachDeliveryJob
    public var jobOptions: ApproachDeliveryJob.Options { ApproachDeliveryJob.Options() }
}
