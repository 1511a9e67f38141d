import ArgumentParser
import Foundation
import Invoicing
import NightshiftCore

struct Invoice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Monthly invoices for every contract active on the billing month's last day, exactly once; PDFs; email.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (some contracts could not be billed or mailed), 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [Bill.self, Send.self], defaultSubcommand: Bill.self)
}

struct Bill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create the month's invoices and their PDFs; with --send, email them (the default).")

    @OptionGroup var run: RunOptions
    @Option(help: ArgumentHelp("The month to bill (YYYY-MM); default: the month before now.", valueName: "month"))
    var month: String?
    @Flag(name: .customLong("dry-run"), help: "Print the invoices that would be created; write and send nothing.") var dryRun = false
    @Flag(help: "Re-render the PDFs of the month's existing invoices (numbers and amounts unchanged).") var regenerate = false
    @Flag(help: "Email the month's unsent invoices afterwards (config invoice.send does the same).") var send = false
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601): decides the default month and the issue date.", valueName: "timestamp"))
    var now: String?

    func run() async throws {
        var options = InvoiceJob.Options()
        options.month = month
        options.dryRun = dryRun
        options.regenerate = regenerate
        options.send = send
        options.now = now
        let code = await JobRunner().run(InvoiceJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Email every rendered invoice not sent yet (a sent one never goes out twice).")

    @OptionGroup var run: RunOptions
    @Option(help: ArgumentHelp("Only this month's invoices (YYYY-MM).", valueName: "month")) var month: String?
    @Flag(name: .customLong("dry-run"), help: "List what would be sent; send nothing.") var dryRun = false

    func run() async throws {
        var options = InvoiceSendJob.Options()
        options.month = month
        options.dryRun = dryRun
        let code = await JobRunner().run(InvoiceSendJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

await runAsyncCommand(Invoice.self)
