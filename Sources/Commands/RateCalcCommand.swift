import ArgumentParser
import NightshiftCore
import WorkingRates

public struct RateCalcCommand: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "rate-calc",
        abstract: "Daily attendance and working rates from the status samples.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [RateCalcCompute.self, RateCalcSummary.self], defaultSubcommand: RateCalcCompute.self)
}

public struct RateCalcCompute: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "compute", 
        abstract: "Compute every ready business day not yet computed (or the days given).")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    @OptionGroup public var days: DaySelectionOptions
    @Option(name: .customLong("business-id"), help: "Only this business (repeatable).") public var businessIDs: [Int] = []
    @Flag(help: "Recompute days already computed, and days not yet ready.") public var force = false

    public var fixedNow: String? { clock.now }

    public typealias Work = RateCalcJob

    public var jobOptions: RateCalcJob.Options {
        var options = RateCalcJob.Options()
        options.selection.businessIDs = businessIDs
        options.selection.from = days.first
        options.selection.to = days.last
        options.selection.force = force
        options.dryRun = rehearsal.dryRun
        return options
    }
}

public struct RateCalcSummary: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "summary", 
        abstract: "A business's averages over the last N days, its top casts, and the change from the period before.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @Option(name: .customLong("business-id"), help: "The business.") public var businessID: Int
    @Option(help: "Length of the period in days.") public var days = 7
    @Flag(help: "JSON output.") public var json = false
    @Flag(help: "CSV output.") public var csv = false

    public func validate() throws {
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366") }
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    public func run() async throws {
        let format: SummaryReport.Format = json ? .json : (csv ? .csv : .text)
        let code = await SummaryReport.run(businessID: businessID, days: days, format: format, options: common.settings(now: clock.now))
        throw ExitCode(code.rawValue)
    }
}
