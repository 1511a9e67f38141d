import ArgumentParser
import MonthlyReports
import NightshiftCore

public struct MonthlyReportCommand: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "monthly-report",
        abstract: "The month before in reports: each company's usage, each business's working rates and the operator's month, computed once from complete data.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (some reports could not be made), 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @OptionGroup public var month: MonthRunOptionGroup
    @Option(name: .customLong("kind"), help: "Only this kind of report: company, business or operator (repeatable); default: every kind.")
    public var kinds: [MonthlyReportJob.Kind] = []
    @Option(name: .customLong("company-id"), help: "Only this company (repeatable).") public var companyIDs: [Int] = []
    @Option(name: .customLong("business-id"), help: "Only this business (repeatable).") public var businessIDs: [Int] = []
    @Option(help: ArgumentHelp("The CSV files' encoding: utf-8 (with a byte-order mark, which Excel in Japanese reads) or shift_jis.",
                               valueName: "encoding"))
    public var csvEncoding = "utf-8"

    public var fixedNow: String? { clock.now }

    public typealias Work = MonthlyReportJob

    public var jobOptions: MonthlyReportJob.Options {
        var options = MonthlyReportJob.Options()
        options.run = month.options
        options.companyIDs = companyIDs
        options.businessIDs = businessIDs
        options.kinds = kinds
        options.csvEncoding = csvEncoding
        return options
    }
}

extension MonthlyReportJob.Kind: ExpressibleByArgument {}
