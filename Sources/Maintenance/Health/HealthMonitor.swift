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
    let recipients: [MailAddress]
    let mailSettings: MailSettings?

    static let step = ItemStep<HealthReport.Check>(name: "health", failureMessage: "health check not ok", keys: { ["health:\($0.name)"] },
                                                   label: { "health \($0.name) \($0.level.rawValue)" })
    static let mailStep = ItemStep<MailAddress>(name: "health_mail", failureMessage: "health report not mailed",
                                                keys: { ["mail:health:\($0.address)"] }, label: { "health report to \($0.address)" },
                                                isRepeatable: false)

    public static func load(_ config: ConfigValues, core: CoreSettings, backup: BackupSettings, output: String) throws -> HealthMonitor {
        let skip = Set((try config.optionalString("maintenance.health_skip") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let recipients = try (config.optionalString("maintenance.report_emails") ?? "").split(separator: ",").map { item in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let address = MailAddress(text) else {
                throw ConfigurationError(key: "maintenance.report_emails", source: config.source(of: "maintenance.report_emails"),
                                         expected: "addresses separated by commas (\"\(text)\" is not one)")
            }
            return address
        }
        return HealthMonitor(skip: skip, directories: ["logs": core.logDirectory, "output": output, "backups": backup.directory],
                             backupSettings: backup, recipients: recipients,
                             mailSettings: recipients.isEmpty ? nil : try MailSettings.load(config))
    }

    /// Measures now; the skipped checks left out.
    public func measure(_ db: Connection, now: Date) throws -> HealthReport {
        var report = try HealthChecks(db: db, now: now, directories: directories, backupSettings: backupSettings).report()
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

    func run(_ context: JobContext, into summary: inout JobSummary) throws {
        let report = try measure(context.db, now: context.clock.now)
        summary.metadata["health"] = .string(report.level.rawValue)
        guard let runID = context.runID else {
            context.report(report.text)
            return
        }
        let id = try context.unitOfWork("health snapshot") { try Self.record(report, runID: runID, db: context.db, now: context.clock.now) }
        try context.run(Self.step, report.checks, into: &summary) { check in
            if check.level != .ok { throw HealthProblem(check: check) }
        }
        guard report.level != .ok, let mailSettings else { return }
        let outbox = Outbox(db: context.db, settings: mailSettings, logger: context.logger)
        try outbox.send(recipients, step: Self.mailStep, context: context, into: &summary, letter: { address in
            Outbox.Letter(about: "health:\(id):\(address.address)", recipient: address.address,
                          messageID: "health.\(id).\(address.address.replacingOccurrences(of: "@", with: ".at."))@\(mailSettings.from.domain)")
        }, compose: { _, letter, recipient in
            MailMessage(from: mailSettings.from, to: [recipient],
                        subject: "[nightshift] \(report.database): health \(report.level.rawValue) (\(report.problems.count) checks)",
                        body: report.text + "\n", messageID: letter.messageID, date: context.clock.now)
                .rendered(timeZone: context.settings.timeZone)
        })
    }
}

struct HealthProblem: Error, CustomStringConvertible {
    let check: HealthReport.Check
    var description: String { "\(check.level.rawValue): \(check.detail)" }
}
