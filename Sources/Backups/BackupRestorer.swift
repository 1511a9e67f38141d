import Foundation
import NightshiftCore
import Postgres

/// `backup restore FILE --into DBNAME`: checks the file against its manifest, creates the
/// database (or, with --force, restores over a non-empty one), decrypts when needed, restores.
public struct BackupRestorer {
    public struct Options: Sendable {
        public var into: String
        public var force = false
        public var identity: String?
        public var jobs = 1
        public var keepOwners = true
        public init(into: String) { self.into = into }
    }

    let settings: BackupSettings
    let core: CoreSettings

    public init(settings: BackupSettings, core: CoreSettings) {
        self.settings = settings
        self.core = core
    }

    /// Returns one line describing what was restored.
    public func restore(_ entry: BackupEntry, options: Options) throws -> String {
        guard let manifest = entry.manifest, entry.isOurs else {
            throw BackupFailure("\(entry.path): \(entry.manifestProblem ?? "no manifest"); refusing to restore an unverified file")
        }
        if manifest.encrypted && options.identity == nil {
            throw UsageError("\(entry.name.fileName) is encrypted: give --identity FILE (the age private key)")
        }
        let digest = try StoredContent(entry.path).sha256
        guard digest == manifest.sha256 else {
            throw BackupFailure("\(entry.path) does not match its manifest (SHA-256 \(digest), expected \(manifest.sha256)); not restoring")
        }
        let tools = try ClientTools.locate(settings, needDump: false)
        var admin = try Database.connect(core.databaseURL, policy: core.databaseRetry, applicationName: "backup-restore")
        defer { admin.close() }
        if try admin.query("SELECT current_database() = $1 AS same", [options.into]).first!.bool("same") {
            // Restoring over the database itself: work from the server's maintenance database.
            admin.close()
            admin = try Database.connect(DatabaseURL.pointing(core.databaseURL, at: "postgres"), policy: core.databaseRetry,
                                         applicationName: "backup-restore")
        }
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.into]).first != nil
        if exists {
            let target = try Database.connect(DatabaseURL.pointing(core.databaseURL, at: options.into),
                                              policy: core.databaseRetry, applicationName: "backup-restore")
            let tables = try TableInventory.tables(target).count
            target.close()
            if tables > 0 {
                guard options.force else {
                    throw UsageError("database \(options.into) exists and holds \(tables) tables; add --force to restore over it")
                }
                // Dropped and made anew rather than pg_restore --clean, which cannot drop the
                // constraints a partitioned table's partitions inherit (and leaves objects the
                // backup does not have).
                let name = try quoteIdentifier(options.into, admin)
                try admin.execute(script: "DROP DATABASE \(name) WITH (FORCE)")
                try admin.execute(script: "CREATE DATABASE \(name)")
            }
        } else {
            try admin.execute(script: "CREATE DATABASE \(try quoteIdentifier(options.into, admin))")
        }

        var plain = entry.path
        var scratchDirectory: String?
        defer { if let scratchDirectory { try? DurableFiles.remove(scratchDirectory) } }
        if manifest.encrypted, let identity = options.identity {
            scratchDirectory = try BackupVerifier.privateTemporaryDirectory()
            plain = "\(scratchDirectory!)/plain.dump"
            try AgeEncryption(executable: settings.age).decrypt(entry.path, to: plain, identity: identity)
        }
        try tools.restore(plain, into: ClientConnection(databaseURL: core.databaseURL, database: options.into),
                          jobs: options.jobs, keepOwners: options.keepOwners)
        let target = try Database.connect(DatabaseURL.pointing(core.databaseURL, at: options.into),
                                          policy: core.databaseRetry, applicationName: "backup-restore")
        defer { target.close() }
        let present = Set(try TableInventory.tables(target).map(\.qualifiedName))
        let missing = manifest.tables.map(\.qualifiedName).filter { !present.contains($0) }
        guard missing.isEmpty else { throw BackupFailure("restored, but tables are missing: " + missing.prefix(5).joined(separator: ", ")) }
        return "restored \(entry.name.fileName) into \(options.into): \(present.count) tables"
    }
}
