import Foundation
import NightshiftCore
import Postgres

/// `backup`: pg_dump in the dump's own snapshot, verified before it takes its final name, a
/// manifest beside it, an optional encrypted form and copy, then retention.
public struct BackupJob: Job {
    public struct Options: Sendable {
        /// Overrides `backup.jobs` (more than 1: directory format).
        public var jobs: Int?
        public var verifyRestore = false
        public init() {}
    }

    public static let name = "backup"
    public let options: Options
    let settings: BackupSettings
    let clock: Clock


    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        var settings = try BackupSettings.load(config)
        if let jobs = options.jobs { settings.jobs = jobs }
        self.settings = settings
        if settings.jobs > 1 && settings.ageRecipient != nil {
            throw UsageError("--jobs above 1 makes a directory-format dump, which age (one file) cannot encrypt; " +
                             "use one job with backup.age_recipient")
        }
        self.clock = clock
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        let tools = try ClientTools.locate(settings)
        let encryption = settings.ageRecipient.map { _ in AgeEncryption(executable: settings.age) }
        _ = try encryption?.locate()
        let server = try context.db.query("""
            SELECT current_database() AS db, current_setting('server_version') AS version,
                   current_setting('server_version_num')::int AS number
            """).first!
        let database = try server.string("db")
        let serverVersion = try server.string("version")
        try tools.checkCompatible(serverVersionNumber: try server.int("number"), serverVersion: serverVersion)

        let directory = settings.directory
        let before = try BackupCatalog.scan(directory)
        let mine = before.entries(of: database)
        let restoreDue = options.verifyRestore || (settings.verifyRestoreEvery > 0 &&
            !mine.prefix(settings.verifyRestoreEvery - 1).contains { $0.manifest?.verification.level == .restore })
        let name = BackupName(database: database, time: clock.now,
                              format: settings.jobs > 1 ? .directory : .custom, encrypted: settings.ageRecipient != nil)

        if context.isDryRun {
            return dryRun(name, restoreDue: restoreDue, existing: mine, context: context)
        }

        try DurableFiles.makeDirectory(directory)
        cleanLeftovers(before, database: database, context: context)
        guard !FileManager.default.fileExists(atPath: "\(directory)/\(name.fileName)") else {
            throw BackupFailure("a backup named \(name.fileName) already exists (two runs in the same second?)")
        }

        let maker = BackupMaker(settings: settings, core: context.settings, tools: tools, encryption: encryption,
                                logger: context.logger)
        let manifest = try maker.make(name, database: database, serverVersion: serverVersion, verifyRestore: restoreDue)
        var summary = JobSummary(itemsOK: 1, metadata: BackupJob.metadata(manifest),
                                 message: "\(name.fileName): \(manifest.sizeBytes) bytes, \(manifest.tableCount) tables, verified (\(manifest.verification.level.rawValue))")
        context.logger.info("backup verified", metadata: summary.metadata.logMetadata)

        let housekeeping = Housekeeping(settings: settings, database: database, now: clock.now, context: context)
        try housekeeping.sweep(directory: directory, policy: settings.retention, into: &summary)
        if let copyDirectory = settings.copyDirectory, try housekeeping.copy(from: directory, to: copyDirectory, into: &summary) {
            try housekeeping.sweep(directory: copyDirectory, policy: settings.copyRetention, into: &summary)
        }
        return summary
    }

    static func metadata(_ manifest: BackupManifest) -> RunMetadata {
        [
            "file": .string(manifest.file),
            "size_bytes": .int(Int(manifest.sizeBytes)),
            "sha256": .string(manifest.sha256),
            "table_count": .int(manifest.tableCount),
            "verification": .string(manifest.verification.level.rawValue),
            "verification_detail": .string(manifest.verification.detail),
            "encrypted": .bool(manifest.encrypted),
            "server_version": .string(manifest.serverVersion),
            "pg_dump_version": .string(manifest.pgDumpVersion),
            "dump_seconds": .double(manifest.finishedAt.timeIntervalSince(manifest.startedAt)),
        ]
    }

    /// Partials and orphan manifests of this database are from killed runs: we hold the lock.
    func cleanLeftovers(_ catalog: BackupCatalog, database: String, context: JobContext) {
        for path in catalog.leftovers(of: database) {
            do {
                try DurableFiles.remove(path)
                context.logger.warning("removed a leftover of an interrupted run", metadata: ["path": .string(path)])
            } catch {
                context.logger.warning("cannot remove a leftover of an interrupted run", error: error, metadata: ["path": .string(path)])
            }
        }
        ScratchRestore.dropLeftovers(context.db, logger: context.logger)
    }

    func dryRun(_ name: BackupName, restoreDue: Bool, existing: [BackupEntry], context: JobContext) -> JobSummary {
        context.report("would create \(settings.directory)/\(name.fileName) (\(name.format.rawValue) format, verification: " +
              (restoreDue ? "restore" : "list") + (name.encrypted ? ", encrypted" : "") + ")")
        // As if today's backup had verified: it is then the newest verified one.
        for entry in settings.retention.deletions(existing, now: clock.now, newVerified: 1) {
            let days = Int(clock.now.timeIntervalSince(entry.name.time) / 86_400)
            context.report("would delete \(entry.path) (made \(LocalTime.isoTimestamp(entry.name.time, in: context.settings.timeZone)), " +
                  "\(counted(days, "day")) old)")
        }
        return JobSummary(message: "dry run")
    }
}

public struct BackupFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
