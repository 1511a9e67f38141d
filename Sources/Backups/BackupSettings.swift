import NightshiftCore

/// `backup.*` settings (env `BACKUP_*`).
public struct BackupSettings: Sendable {
    public var directory: String
    public var retentionDays: Int
    public var keepCount: Int
    public var pgDump: String
    public var pgRestore: String
    /// 1: one custom-format file; more: a directory-format dump with that many parallel workers.
    public var jobs: Int
    /// Restore-verify every N-th backup (0: only when asked with --verify-restore).
    public var verifyRestoreEvery: Int
    public var ageRecipient: String?
    public var age: String
    public var copyDirectory: String?
    public var copyRetentionDays: Int
    public var copyKeepCount: Int

    public static func load(_ config: ConfigValues) throws -> BackupSettings {
        let days = try config.int("backup.retention_days", default: 30, range: 0...36_500)
        let keep = try config.int("backup.keep_count", default: 7, range: 1...100_000)
        let recipient = try config.optionalString("backup.age_recipient").flatMap { $0.isEmpty ? nil : $0 }
        if let recipient, !isAgeRecipient(recipient) {
            throw ConfigurationError(key: "backup.age_recipient", source: config.source(of: "backup.age_recipient"),
                                     expected: "an age public key (age1… from age-keygen)")
        }
        return BackupSettings(
            directory: try config.string("backup.dir", default: "backups"),
            retentionDays: days,
            keepCount: keep,
            pgDump: try config.string("backup.pg_dump", default: "pg_dump"),
            pgRestore: try config.string("backup.pg_restore", default: "pg_restore"),
            jobs: try config.int("backup.jobs", default: 1, range: 1...64),
            verifyRestoreEvery: try config.int("backup.verify_restore_every", default: 0, range: 0...10_000),
            ageRecipient: recipient,
            age: try config.string("backup.age", default: "age"),
            copyDirectory: try config.optionalString("backup.copy_dir").flatMap { $0.isEmpty ? nil : $0 },
            copyRetentionDays: try config.int("backup.copy_retention_days", default: days, range: 0...36_500),
            copyKeepCount: try config.int("backup.copy_keep_count", default: keep, range: 1...100_000))
    }

    /// Bech32 `age1…` public keys: lowercase letters and digits, 62 characters.
    static func isAgeRecipient(_ text: String) -> Bool {
        text.hasPrefix("age1") && text.count == 62 && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }

    public var retention: RetentionPolicy { RetentionPolicy(days: retentionDays, keep: keepCount) }
    public var copyRetention: RetentionPolicy { RetentionPolicy(days: copyRetentionDays, keep: copyKeepCount) }
}
