import Backups
import Foundation
import NightshiftCore

/// `maintenance.*` and `retention.*` settings (env `MAINTENANCE_*`, `RETENTION_*`); pg_dump and
/// pg_restore are backup's (`backup.pg_dump`, `backup.pg_restore`).
public struct MaintenanceSettings: Sendable {
    /// A month partition of the samples is dropped only when older than this many months.
    public var statusRetentionMonths: Int
    /// Month partitions kept created ahead of the current month.
    public var partitionsAhead: Int
    /// Where archived month partitions go, in a folder per database.
    public var archiveDirectory: String
    /// Archives older than this many months are deleted; 0 keeps them for ever.
    public var archiveKeepMonths: Int
    /// How long a DDL statement waits for a lock before it gives up (and the item is retried next run).
    public var lockTimeoutMS: Int
    /// Rotated log files untouched this many days are compressed into `logs/archive/`.
    public var logArchiveAfterDays: Int
    /// Log archives older than this many days are deleted.
    public var logArchiveKeepDays: Int
    /// Where leftover `.partial` files are looked for.
    public var outputDirectory: String
    var upkeep: DatabaseUpkeep.Thresholds
    public var tools: BackupSettings

    public static func load(_ config: ConfigValues) throws -> MaintenanceSettings {
        MaintenanceSettings(
            statusRetentionMonths: try config.int("retention.status_months", default: 13, range: 2...1200),
            partitionsAhead: try config.int("maintenance.partitions_ahead", default: 3, range: 1...36),
            archiveDirectory: try config.string("maintenance.archive_dir", default: "archive"),
            archiveKeepMonths: try config.int("maintenance.archive_keep_months", default: 0, range: 0...1200),
            lockTimeoutMS: try config.int("maintenance.lock_timeout_ms", default: 5000, range: 100...600_000),
            logArchiveAfterDays: try config.int("log.archive_after_days", default: 7, range: 1...3650),
            logArchiveKeepDays: try config.int("log.archive_keep_days", default: 90, range: 1...36_500),
            outputDirectory: try config.string("output.dir", default: "output"),
            upkeep: DatabaseUpkeep.Thresholds(
                analyzeChangedPercent: try config.int("maintenance.analyze_changed_percent", default: 10, range: 1...1000),
                vacuumDeadPercent: try config.int("maintenance.vacuum_dead_percent", default: 20, range: 1...100),
                reindexBloatPercent: try config.int("maintenance.reindex_bloat_percent", default: 50, range: 1...100),
                reindexMinimumBytes: try config.int("maintenance.reindex_min_mb", default: 8, range: 0...1_000_000) << 20),
            tools: try BackupSettings.load(config))
    }
}
