import ArgumentParser
import Foundation
import NightshiftCore
import OperatorTools

public struct NightshiftCommand: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "nightshift",
        abstract: "The operator's tool for the Nightshift batch suite.",
        discussion: "Exit codes: 0 ok, 2 failed, 64 usage, 75 database unreachable, 78 configuration. `check` exits 0 or 2 only; `health` 1 when a check is not ok.",
        subcommands: [NightshiftMigrate.self, NightshiftJobs.self, NightshiftWatch.self, NightshiftAlerts.self, NightshiftMetrics.self, NightshiftCheck.self, NightshiftRuns.self, NightshiftFailures.self, NightshiftHealth.self,
                      NightshiftCrontab.self, NightshiftSystemd.self, NightshiftKubernetes.self, NightshiftLogProbe.self])
}

/// Runs `body` with the suite's exit codes for failures.
func operate(_ body: () async throws -> Void) async throws {
    let status = await CommandSession.exitStatus(name: "nightshift", body)
    if status != .succeeded { throw ExitCode(status.rawValue) }
}

public struct NightshiftMigrate: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending schema migrations (safe to repeat, and from two hosts).")
    @OptionGroup public var run: RunOptions

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let db = try session.connect()
            let applied = try Migrator(schema: .suite).migrate(db)
            if Console(mode: run.consoleMode).showsProgress {
                print(applied.isEmpty ? "schema is current" : "applied: " + applied.joined(separator: ", "))
            }
        }
    }
}

public struct NightshiftCheck: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check config, logs, database, schema and site definitions.")
    @OptionGroup public var run: RunOptions

    public func run() async throws {
        let session: CommandSession
        // A checklist: 0 when every item is ok, 2 when any is not — a configuration that cannot be
        // read included (its lines are the checklist's first item).
        do { session = try await CommandSession.open(configPath: run.configPath) } catch let failure as CommandSession.Failure {
            for line in failure.message.split(separator: "\n") { print("FAIL  config: \(line)") }
            throw ExitCode(ExitStatus.failed.rawValue)
        }
        let items = HealthCheck.run(session: session, schema: .suite, modules: ModuleCheck.suite)
        for item in items { print("\(item.ok ? "ok  " : "FAIL")  \(item.name): \(item.detail)") }
        if items.contains(where: { !$0.ok }) { throw ExitCode(ExitStatus.failed.rawValue) }
    }
}

public struct NightshiftRuns: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Recent runs from the ledger.")
    @OptionGroup public var run: RunOptions
    @Option(help: "Only this job (\(RunLedger.jobs.joined(separator: ", "))).") public var job: String?
    @Option(help: "Only this status (\(RunLedger.Status.allCases.map(\.rawValue).joined(separator: ", "))).") public var status: String?
    @Option(parsing: .unconditional, help: "How many rows.") public var limit = 20
    @Flag(help: "JSON output.") public var json = false

    public func validate() throws {
        try LedgerFilters.validate(job: job, limit: limit)
        if let status, RunLedger.Status(rawValue: status) == nil {
            throw ValidationError("--status \(status): expected one of \(RunLedger.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let raw = try LedgerReport.runs(try session.connect(), job: job, status: status, limit: limit)
            let rows = LedgerReport.localTimes(raw, columns: ["started_at", "finished_at"], zone: session.settings.timeZone)
            let columns = ["id", "job", "status", "started_at", "finished_at", "duration_ms", "items_ok", "items_failed", "host", "pid", "error"]
            let numeric: Set<String> = ["id", "duration_ms", "items_ok", "items_failed", "pid"]
            print(json ? LedgerReport.json(rows, columns: columns, numeric: numeric)
                       : LedgerReport.text(rows, columns: columns, numeric: numeric))
        }
    }
}

public struct NightshiftFailures: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "failures", abstract: "Open dead-letter items: what failed and has not succeeded since.")
    @OptionGroup public var run: RunOptions
    @Option(help: "Only this job (\(RunLedger.jobs.joined(separator: ", "))).") public var job: String?
    @Flag(help: "Include resolved items.") public var all = false
    @Option(parsing: .unconditional, help: "How many rows.") public var limit = 50
    @Flag(help: "JSON output.") public var json = false

    public func validate() throws { try LedgerFilters.validate(job: job, limit: limit) }

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let raw = try LedgerReport.failures(try session.connect(), job: job, includeResolved: all, limit: limit)
            let rows = LedgerReport.localTimes(raw, columns: ["first_seen_at", "last_seen_at", "resolved_at"], zone: session.settings.timeZone)
            let columns = ["id", "job", "item_key", "run_id", "attempts", "occurrences", "first_seen_at", "last_seen_at", "resolved_at", "error"]
            let numeric: Set<String> = ["id", "run_id", "attempts", "occurrences"]
            print(json ? LedgerReport.json(rows, columns: columns, numeric: numeric)
                       : LedgerReport.text(rows, columns: columns, numeric: numeric))
        }
    }
}

/// The checks `runs` and `failures` share.
enum LedgerFilters {
    static func validate(job: String?, limit: Int) throws {
        if let job, !RunLedger.jobs.contains(job) {
            throw ValidationError("--job \(job): expected one of \(RunLedger.jobs.joined(separator: ", "))")
        }
        guard limit > 0 else { throw ValidationError("--limit must be a positive number of rows, got \(limit)") }
    }
}

public struct NightshiftCrontab: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "crontab", abstract: "Print the suite's crontab with this install's absolute paths.")
    @Option(help: "Config file the scheduled commands should use (default: NIGHTSHIFT_CONFIG, else config.json in the install).")
    public var config: String?
    @Flag(help: "The template as shipped (the file `crontab`), paths under /opt/nightshift.") public var template = false

    public func run() async throws {
        if template {
            print(OperatorTools.Crontab.template, terminator: "")
            return
        }
        let home = try installHome()
        try await operate {
            let (text, warnings) = try await OperatorTools.Crontab.forInstall(
                home: home, binDirectory: InstallPaths.binDirectory, configOption: config,
                environment: ProcessInfo.processInfo.environment)
            for warning in warnings { Console.writeStderr("nightshift crontab: warning: \(warning)") }
            print(text, terminator: "")
        }
    }
}

public struct NightshiftLogProbe: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "log-probe", abstract: "Write test lines to the logs (diagnostics).", shouldDisplay: false)
    @OptionGroup public var run: RunOptions
    @Option var count = 100
    @Option var tag = "probe"
    @Option var padding = 0

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            try Diagnostics.writeLogLines(session: session, count: count, tag: tag, padding: padding)
        }
    }
}
