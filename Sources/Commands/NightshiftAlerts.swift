import ArgumentParser
import Foundation
import NightshiftCore
import Operations
import OperatorTools

public struct NightshiftAlerts: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Open and recent alerts of `nightshift watch`; snooze a job's alerts.",
        subcommands: [AlertsList.self, AlertsSnooze.self, AlertsUnsnooze.self], defaultSubcommand: AlertsList.self)
}

public struct AlertsList: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "Open alerts, then those closed in the last days (the default).")
    @OptionGroup public var run: RunOptions
    @Option(parsing: .unconditional, help: "Closed alerts of this many days back.") public var days = 7
    @Flag(help: "JSON output.") public var json = false

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let raw = try LedgerReport.table(try AlertReport.rows(try session.connect(), now: Date(), days: days))
            let rows = LedgerReport.localTimes(raw, columns: ["opened_at", "closed_at", "snoozed_until"], zone: session.settings.timeZone)
            let numeric: Set<String> = ["id", "notices"]
            print(json ? LedgerReport.json(rows, columns: AlertReport.columns, numeric: numeric)
                       : LedgerReport.text(rows, columns: AlertReport.columns, numeric: numeric, maxWidth: 90))
        }
    }
}

/// A registry job's name, checked.
func registryJob(_ name: String) throws -> String {
    guard JobRegistry.job(named: name) != nil else {
        throw ValidationError("\(name): expected one of \(JobRegistry.jobs.map(\.name).joined(separator: ", "))")
    }
    return name
}

public struct AlertsSnooze: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Send nothing about JOB's alerts until a time (they still open and close).")
    @OptionGroup public var run: RunOptions
    @Argument(help: "The job (as in `nightshift jobs`).") public var job: String
    @Option(help: ArgumentHelp("Until when (ISO 8601; without an offset, the configured time zone).", valueName: "time"))
    public var until: String

    public func validate() throws { _ = try registryJob(job) }

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            guard let time = TimestampArgument.parse(until, timeZone: session.settings.timeZone) else {
                throw UsageError("--until \(until): expected an ISO 8601 time such as 2026-12-06T09:00")
            }
            try AlertReport.snooze(try session.connect(), job: job, until: time)
            if Console(mode: run.consoleMode).showsProgress {
                print("\(job): alerts snoozed until \(LocalTime.isoTimestamp(time, in: session.settings.timeZone))")
            }
        }
    }
}

public struct AlertsUnsnooze: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(commandName: "unsnooze", abstract: "End JOB's snooze now.")
    @OptionGroup public var run: RunOptions
    @Argument(help: "The job.") public var job: String

    public func validate() throws { _ = try registryJob(job) }

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            _ = try AlertReport.unsnooze(try session.connect(), job: job)
        }
    }
}
