import ArgumentParser
import Foundation
import NightshiftCore
import StatusCollection

struct StatusCollect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-collect",
        abstract: "Record each open business's cast statuses for the current 30-minute slot.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial, 2 failed, 64 usage, 75 database unreachable, 78 configuration.")

    @OptionGroup var run: RunOptions

    @Flag(help: "Collect every active business, ignoring opening hours.")
    var force = false

    @Option(name: .customLong("business-id"), help: "Collect only this business (repeatable).")
    var businessIDs: [Int] = []

    @Flag(name: .customLong("dry-run"), help: "Fetch, parse and print what would be written; write nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Evaluate hours and slot as if at this time (ISO 8601; without an offset, the configured time zone).",
                               valueName: "timestamp"))
    var now: String?

    func run() async throws {
        var options = StatusCollectionJob.Options()
        options.force = force
        options.businessIDs = businessIDs
        options.dryRun = dryRun
        options.now = now
        let code = await JobRunner().run(StatusCollectionJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

await runAsyncCommand(StatusCollect.self)
