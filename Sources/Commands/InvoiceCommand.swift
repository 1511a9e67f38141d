import ArgumentParser
import NightshiftCore
import Invoicing

public struct InvoiceCommand: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Monthly invoices for every contract in force during the month, exactly once; PDFs; email.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (some contracts could not be billed or mailed), 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [InvoiceRun.self, InvoiceSend.self], defaultSubcommand: InvoiceRun.self)
}

public struct InvoiceRun: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create the month's invoices and their PDFs; with --send, email them (the default).")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @OptionGroup public var month: MonthRunOptionGroup  // --send: also config invoice.send

    public var fixedNow: String? { clock.now }

    public typealias Work = InvoiceJob

    public var jobOptions: InvoiceJob.Options { month.options }
}

public struct InvoiceSend: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "send", 
        abstract: "Email every rendered invoice not sent yet (a sent one never goes out twice).")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @Option(help: ArgumentHelp("Only this month's invoices (YYYY-MM).", valueName: "month")) public var month: String?

    public typealias Work = InvoiceSendJob

    public var jobOptions: InvoiceSendJob.Options {
        var options = InvoiceSendJob.Options()
        options.month = month
        return options
    }
}
