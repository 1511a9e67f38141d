import Foundation
import NightshiftCore
import Postgres

/// A repeatable-read transaction whose snapshot pg_dump imports (`--snapshot`), so the table
/// list and row counts taken here describe exactly what the dump holds.
final class DumpSnapshot {
    let db: Connection
    let id: String
    private var closed = false

    init(databaseURL: String, settings: CoreSettings) throws {
        db = try Database.connect(databaseURL, policy: settings.databaseRetry, applicationName: "backup-snapshot")
        do {
            try db.execute(script: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            id = try db.query("SELECT pg_export_snapshot() AS id").first!.string("id")
        } catch {
            db.close()
            throw error
        }
    }

    func tables() throws -> [BackupManifest.Table] {
        try TableInventory.tables(db)
    }

    func exactCounts() throws -> [String: Int64] {
        try TableInventory.exactCounts(db)
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? db.execute(script: "COMMIT")
        db.close()
    }
}

/// Tables of a database and their rows, as catalog queries (the same for source and restore).
enum TableInventory {
    /// User tables: ordinary and partitioned, outside system schemas and extensions.
    static let userTables = """
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                           WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        """

    static func tables(_ db: Connection) throws -> [BackupManifest.Table] {
        try db.query("""
            SELECT n.nspname AS schema, c.relname AS name,
                   CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END AS estimate
            \(userTables)
            ORDER BY 1, 2
            """).rows.map {
            BackupManifest.Table(schema: try $0.string("schema"), name: try $0.string("name"),
                                 rowEstimate: try $0.optionalInt("estimate").map(Int64.init), rows: nil)
        }
    }

    /// Exact row counts of every ordinary table in one statement (query_to_xml runs each count).
    static func exactCounts(_ db: Connection) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try db.query("""
            SELECT n.nspname || '.' || c.relname AS qualified,
                   (xpath('/row/c/text()', query_to_xml(
                        format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS rows
            \(userTables) AND c.relkind = 'r'
            """).rows {
            counts[try row.string("qualified")] = Int64(try row.int("rows"))
        }
        return counts
    }
}
