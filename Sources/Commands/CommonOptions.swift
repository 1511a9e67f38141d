import ArgumentParser
import Foundation
import NightshiftCore
import Operations

/// Options every command takes. Each executable embeds them with `@OptionGroup`.
public struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("JSON config file (default: $NIGHTSHIFT_CONFIG). Environment variables override it.",
                                            valueName: "path"))
    public var config: String?

    @Flag(name: .long, help: "Show progress on stderr even when it is not a terminal.")
    public var verbose = false

    @Flag(name: .long, help: "Print nothing, not even the failure summary (the exit code still tells).")
    public var quiet = false

    public init() {}

    public var configPath: String? {
        config ?? ProcessInfo.processInfo.environment["NIGHTSHIFT_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var consoleMode: Console.Mode { quiet ? .quiet : (verbose ? .verbose : .normal) }

    /// What the core needs of them, with `--now` when the command takes it. Reports go to
    /// standard output, the one place the suite prints them.
    public func settings(now: String? = nil, dryRun: Bool = false, output: ReportOutput = .standardOutput) -> RunSettings {
        RunSettings(configPath: configPath, consoleMode: consoleMode, now: now, dryRun: dryRun, output: output)
    }
}

extension ReportOutput {
    public static let standardOutput = ReportOutput { print($0) }
}

/// `--now`: the run's clock, fixed (ISO 8601; without an offset, the configured time zone).
public struct NowOption: ParsableArguments {
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601, e.g. 2026-11-23T21:00:00+09:00; without an offset, the configured time zone).",
                               valueName: "timestamp"))
    public var now: String?
    public init() {}
}

/// `--dry-run`: the real work, rolled back or printed; nothing written.
public struct DryRunOption: ParsableArguments {
    @Flag(name: .customLong("dry-run"), help: "Do the work but write nothing: print what would be written.")
    public var dryRun = false
    public init() {}
}

/// `--date D | --from D --to D`: the days a backfill covers, checked once for every command.
public struct DaySelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("This day only (YYYY-MM-DD).", valueName: "date")) public var date: String?
    @Option(help: ArgumentHelp("First day of a backfill (YYYY-MM-DD).", valueName: "date")) public var from: String?
    @Option(help: ArgumentHelp("Last day of a backfill (YYYY-MM-DD).", valueName: "date")) public var to: String?
    public init() {}

    /// The dates themselves are checked by the job (`CalendarDate.checkRange`, exit 64).
    public func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("--date cannot be combined with --from/--to") }
    }

    public var first: String? { date ?? from }
    public var last: String? { date ?? to }
}

/// `--month`, `--regenerate`, `--send`: a job over a month's documents (invoices, reports).
public struct MonthRunOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The month (YYYY-MM), one that has ended; default: the month before now.", valueName: "month"))
    public var month: String?
    @Flag(help: "Re-render the month's existing documents (after a template change; figures and amounts unchanged).")
    public var regenerate = false
    @Flag(help: "Email the month's unsent documents afterwards.") public var send = false
    public init() {}

    public var options: MonthRunOptions { MonthRunOptions(month: month, regenerate: regenerate, send: send) }
}

/// A command that runs one job: its options become the job, and `run()` is written once here.
public protocol JobCommand: AsyncParsableCommand {
    associatedtype Work: Job
    var common: RunOptions { get }
    /// The run's fixed time, when the command takes `--now`.
    var fixedNow: String? { get }
    /// `--dry-run`, when the command takes it.
    var isRehearsal: Bool { get }
    /// The job's options from the command's; the job itself is built by the runner, with its settings.
    var jobOptions: Work.Options { get }
}

extension JobCommand {
    public var fixedNow: String? { nil }
    public var isRehearsal: Bool { false }

    public func run() async throws {
        throw ExitCode(await execute(arguments: Array(CommandLine.arguments.dropFirst())).rawValue)
    }

    /// The job this command describes, run through the shared life cycle; tests call it with
    /// their own environment on a command parsed from real argv.
    public func execute(arguments: [String], environment: [String: String]? = nil) async -> ExitStatus {
        await JobRunner(environment: environment, schema: .suite, afterRun: { config in
            let metrics = try MetricsPublisher.load(config)
            return { db in try metrics.publish(db) }
        })
            .run(Work.self, options: jobOptions, settings: common.settings(now: fixedNow, dryRun: isRehearsal), arguments: arguments)
    }
}
