import Foundation
import NightshiftCore
import Postgres

/// Restores a dump into a database created for the purpose and dropped afterwards, then
/// compares its tables and row counts with what the source had in the dump's snapshot.
public struct ScratchRestore {
    public static let prefix = "nightshift_verify_"

    let databaseURL: String
    let settings: CoreSettings
    let tools: ClientTools
    let jobs: Int

    struct Outcome {
        var passed: Bool
        var detail: String
        var counts: [String: Int64]
    }

    /// `expected` nil: only check that every table came back.
    func verify(_ path: String, tables: [BackupManifest.Table], expected: [String: Int64]?) throws -> Outcome {
        let admin = try Database.connect(databaseURL, policy: settings.databaseRetry, applicationName: "backup-verify")
        defer { admin.close() }
        let scratch = "\(ScratchRestore.prefix)\(getpid())_\(Int(Date().timeIntervalSince1970))"
        try admin.execute(script: "CREATE DATABASE \(try quoteIdentifier(scratch, admin))")
        defer { _ = try? admin.execute(script: "DROP DATABASE IF EXISTS \(try quoteIdentifier(scratch, admin))") }

        try tools.restore(path, into: ClientConnection(databaseURL: databaseURL, database: scratch), jobs: jobs,
                          keepOwners: false)
        let restored = try Database.connect(DatabaseURL.pointing(databaseURL, at: scratch),
                                            policy: settings.databaseRetry, applicationName: "backup-verify")
        defer { restored.close() }
        let present = Set(try TableInventory.tables(restored).map(\.qualifiedName))
        let counts = try TableInventory.exactCounts(restored)
        let missing = tables.map(\.qualifiedName).filter { !present.contains($0) }
        if !missing.isEmpty {
            return Outcome(passed: false, detail: "restore lacks tables: " + missing.prefix(5).joined(separator: ", "), counts: counts)
        }
        let total = counts.values.reduce(0, +)
        guard let expected else {
            return Outcome(passed: true, detail: "restored \(present.count) tables, \(total) rows", counts: counts)
        }
        let differing = expected.keys.sorted().filter { counts[$0] != expected[$0] }
        if !differing.isEmpty {
            let shown = differing.prefix(5).map { "\($0) \(expected[$0]!) → \(counts[$0].map(String.init) ?? "missing")" }
            return Outcome(passed: false, detail: "row counts differ: " + shown.joined(separator: ", "), counts: counts)
        }
        return Outcome(passed: true, detail: "restored \(present.count) tables, \(total) rows, counts match the snapshot", counts: counts)
    }

    /// Drops scratch databases a killed verification left behind (skipping any still in use).
    static func dropLeftovers(_ db: Connection, logger: Logger) {
        guard let rows = try? db.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [prefix + "%"]).rows else { return }
        for row in rows {
            guard let name = try? row.string("datname"), let quoted = try? quoteIdentifier(name, db) else { continue }
            do {
                try db.execute(script: "DROP DATABASE IF EXISTS \(quoted)")
                logger.warning("dropped a scratch database left by a killed verification", metadata: ["database": .string(name)])
            } catch {
                logger.warning("cannot drop a leftover scratch database", error: error, metadata: ["database": .string(name)])
            }
        }
    }
}

/// Identifiers cannot be bound as parameters; the server quotes them.
func quoteIdentifier(_ name: String, _ db: Connection) throws -> String {
    try db.query("SELECT quote_ident($1) AS q", [name]).first!.string("q")
}
