import ArgumentParser
import Foundation
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
    public var isRehearsal: Bool { rehearsal.dryRun }
    @OptionGroup public var days: DaySelectionOptions
    @Option(name: .customLong("business-id"), help: "Only this business (repeatable).") public var businessIDs: [Int] = []
    @Flag(help: "Recompute days already computed, and days not yet ready.") public var force = false

    public var fixedNow: String? { clock.now }

    public typealias Work = RateCalcJob

    public var jobOptions: RateCalcJob.Options {
        var options = RateCalcJob.Options()
        options.businessIDs = businessIDs
        options.from = days.first
        options.to = days.last
        options.force = force
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
        let options = common.settings(now: clock.now)
        let code = await CommandSession.exitStatus(name: "rate-calc summary") { [businessID, days] in
            let session = try await CommandSession.open(configPath: options.configPath, name: "rate-calc")
            let at = try options.now.map { try TimestampArgument.parseNow($0, timeZone: session.settings.timeZone) } ?? Date()
            let db = try session.connect()
            defer { db.close() }
            try SummaryReport.requireBusiness(businessID, db)
            guard let report = try SummaryReport.build(db, businessID: businessID, days: days, now: at) else {
                print(format == .json ? "{\"business_id\":\(businessID),\"data\":false}" : "business \(businessID): no computed days yet")
                return
            }
            print(report.render(format))
        }
        throw ExitCode(code.rawValue)
    }
}
