import ArgumentParser
import Foundation
import NightshiftCore
import UsageAggregation

struct UsageAggregate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage-aggregate",
        abstract: "Daily usage per active company (and system-wide) from users, engineers, activity and files.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup var run: RunOptions
    @Option(help: ArgumentHelp("Aggregate this day only (YYYY-MM-DD).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("First day of a backfill.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last day of a backfill.", valueName: "date")) var to: String?
    @Flag(name: .customLong("dry-run"), help: "Print the rows that would be written; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601).", valueName: "timestamp")) var now: String?

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("--date cannot be combined with --from/--to") }
    }

    func run() async throws {
        var options = UsageAggregateJob.Options()
        options.selection.from = date ?? from
        options.selection.to = date ?? to
        options.dryRun = dryRun
        options.now = now
        let code = await JobRunner().run(UsageAggregateJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

await runAsyncCommand(UsageAggregate.self)
