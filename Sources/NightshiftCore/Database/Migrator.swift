import Foundation
import Postgres

/// Applies the numbered SQL files of every module's `Migrations/` (a `Schema`) in order, each in
/// its own transaction, and records them in `schema_migrations`. Safe to run twice or from two hosts at once.
public struct Migrator {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    public init(schema: Schema) {
        self.init(migrations: schema.migrations())
    }

    /// Applies what is pending; returns the names applied (empty when the schema was current).
    @discardableResult
    public func migrate(_ db: Connection) throws -> [String] {
        let key = Database.lockKey("nightshift.migrate")
        try db.advisoryLock(key)  // a second migrator waits, then finds nothing to do
        defer { _ = try? db.advisoryUnlock(key) }
        try db.execute(script: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let applied = try appliedVersions(db)
        var done = [String]()
        for migration in migrations where !applied.contains(migration.version) {
            try db.transaction {
                try db.execute(script: migration.sql)
                try db.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                             [migration.version, migration.name])
            }
            done.append(migration.name)
        }
        return done
    }

    /// Names of the schema's migrations not yet applied, from the file names alone (no SQL is
    /// read) and one query: what every job checks before it starts.
    public static func pendingNames(_ db: Connection, schema: Schema) throws -> [String] {
        let applied: Set<Int>
        do {
            applied = Set(try db.query("SELECT version FROM schema_migrations").rows.map { try $0.int("version") })
        } catch let error as PostgresError where error.sqlState == "42P01" {
            applied = []  // never migrated
        }
        return schema.versions.filter { !applied.contains($0.version) }.map(\.name)
    }

    private func appliedVersions(_ db: Connection) throws -> Set<Int> {
        Set(try db.query("SELECT version FROM schema_migrations").rows.map { try $0.int("version") })
    }
}
