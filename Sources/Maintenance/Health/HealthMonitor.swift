import Backups
import Foundation
import Mail
import NightshiftCore
import Postgres

/// The health report of a maintenance run: measured, stored as a `health_snapshot`, each check
/// that is not ok an item failure of its own (`health:<check>`, resolved when it passes again) so
/// that the run exits 1 and `nightshift failures` lists it, and — when something is not ok and
/// `maintenance.report_emails` is set — mailed to those addresses once through the outbox.
public struct HealthMonitor {
    /// Checks an installation does not want (`maintenance.health_skip`: names, e.g. `backup_age`
    /// where backups are made elsewhere).
    let skip: Set<String>
    let directories: [String: String]
    let backupSettings: BackupSettings
    let letters: OperatorLetters
    /// Maintenance's own thresholds, so that the report judges indexes as the run rebuilds them.
    let upkeep: DatabaseUpkeep.Thresholds

    static let step = ItemStep<HealthReport.Check>(name: "health", failureMessage: "health check not ok", keys: { ["health:\($0.name)"] },
                                                   label: { "health \($0.name) \($0.level.rawValue)" })

    public static func load(_ config: ConfigValues, core: CoreSettings, backup: BackupSettings, output: String) throws -> HealthMonitor {
        let skip = Set((try config.optionalString("maintenance.health_skip") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        return HealthMonitor(skip: skip, directories: ["logs": core.logDirectory, "output": output, "backups": backup.directory],
                             backupSettings: backup, letters: try OperatorLetters.load(config, key: "maintenance.report_emails", kind: "report"),
                             upkeep: try MaintenanceSettings.load(config).upkeep)
    }

    /// Measures now; the skipped checks left out.
    public func measure(_ db: Connection, now: Date) throws -> HealthReport {
        var checks = HealthChecks(db: db, now: now, directories: directories, backupSettings: backupSettings)
        checks.upkeepThresholds = upkeep
        var report = try checks.report()
        report.checks.removeAll { skip.contains($0.name) }
        return report
    }

    /// Stores a snapshot; returns its id.
    public static func record(_ report: HealthReport, runID: Int64?, db: Connection, now: Date) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try db.query("""
            INSERT INTO health_snapshot (taken_at, run_id, level, database_bytes, free_bytes, report)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id
            """, [now, runID, report.level.rawValue, report.databaseBytes,
                  String(decoding: try encoder.encode(report.freeBytes), as: UTF8.self),
                  String(decoding: try encoder.encode(report), as: UTF8.self)]).first!.int("id")
    }

    /// `json`: the report printed as JSON (otherwise as text when watched or on a dry run).
    func run(_ context: JobContext, json: Bool = false, into summary: inout JobSummary) throws {
        let report = try measure(context.db, now: context.clock.now)
        summary.metadata["health"] = .string(report.level.rawValue)
        if json { context.report(report.json) } else if context.isDryRun || context.isWatched { context.report(report.text) }
        guard let runID = context.runID else { return }
        let id = try context.unitOfWork("health snapshot") { try Self.record(report, runID: runID, db: context.db, now: context.clock.now) }
        try context.run(Self.step, report.checks, into: &summary) { check in
            if check.level != .ok { throw HealthProblem(check: check) }
        }
        guard report.level != .ok else { return }
        try letters.send(about: "health:\(id)", subject: "[nightshift] \(report.database): health \(report.level.rawValue) " +
                            "(\(report.problems.count) checks)", body: report.text, context: context, into: &summary)
    }
}

struct HealthProblem: Error, CustomStringConvertible {
    let check: HealthReport.Check
    var description: String { "\(check.level.rawValue): \(check.detail)" }
}
