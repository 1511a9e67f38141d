import ArgumentParser
import Foundation
import NightshiftCore
import WorkingRates

struct RateCalc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate-calc",
        abstract: "Daily attendance and working rates from the status samples.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [Compute.self, Summary.self], defaultSubcommand: Compute.self)
}

struct Compute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute every ready business day not yet computed (or the days given).")

    @OptionGroup var run: RunOptions

    @Option(help: ArgumentHelp("Compute this business day only (YYYY-MM-DD).", valueName: "date"))
    var date: String?
    @Option(help: ArgumentHelp("First business day of a backfill.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last business day of a backfill.", valueName: "date")) var to: String?
    @Option(name: .customLong("business-id"), help: "Only this business (repeatable).") var businessIDs: [Int] = []
    @Flag(help: "Recompute days already computed, and days not yet ready.") var force = false
    @Flag(name: .customLong("dry-run"), help: "Print what would be written; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601).", valueName: "timestamp")) var now: String?

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("--date cannot be combined with --from/--to") }
    }

    func run() async throws {
        var options = RateCalcJob.Options()
        options.selection.businessIDs = businessIDs
        options.selection.from = date ?? from
        options.selection.to = date ?? to
        options.selection.force = force
        options.dryRun = dryRun
        options.now = now
        let code = await JobRunner().run(RateCalcJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

struct Summary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A business's averages over the last N days, its top casts, and the change from the period before.")

    @OptionGroup var run: RunOptions
    @Option(name: .customLong("business-id"), help: "The business.") var businessID: Int
    @Option(help: "Length of the period in days.") var days = 7
    @Flag(help: "JSON output.") var json = false
    @Flag(help: "CSV output.") var csv = false
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601).", valueName: "timestamp")) var now: String?

    func validate() throws {
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366") }
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() async throws {
        let format: SummaryReport.Format = json ? .json : (csv ? .csv : .text)
        let code = await SummaryReport.run(businessID: businessID, days: days, format: format, now: now, options: run)
        throw ExitCode(code.rawValue)
    }
}

await runAsyncCommand(RateCalc.self)
