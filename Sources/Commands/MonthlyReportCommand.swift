import ArgumentParser
import MonthlyReports
import NightshiftCore

public struct MonthlyReportCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "monthly-report",
        abstract: "The month before in reports: each company's usage, computed once from complete data.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (some reports could not be made), 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @Option(help: ArgumentHelp("The month to report (YYYY-MM), one that has ended; default: the month before now.", valueName: "month"))
    public var month: String?
    @Option(name: .customLong("company-id"), help: "Only this company (repeatable).") public var companyIDs: [Int] = []
    @Flag(help: "Re-render the month's existing reports (after a template change; figures unchanged).") public var regenerate = false

    public var fixedNow: String? { clock.now }

    public typealias Work = MonthlyReportJob

    public var jobOptions: MonthlyReportJob.Options {
        var options = MonthlyReportJob.Options()
        options.month = month
        options.companyIDs = companyIDs
        options.regenerate = regenerate
        return options
    }
}
