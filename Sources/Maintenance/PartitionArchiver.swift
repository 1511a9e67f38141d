import Backups
import Foundation
import NightshiftCore
import Postgres

/// A month partition leaves the database only through here: detached (so nothing writes to it
/// while it is dumped), dumped on its own (`pg_dump -t`, custom format) to a temporary name,
/// verified like a backup (`pg_restore --list` names the table and its data; SHA-256 and row
/// count in a manifest beside it), renamed into place, recorded in `partition_archive` — and only
/// then dropped. When any of that fails the partition is attached again and stays.
struct PartitionArchiver {
    struct Manifest: Codable, Equatable {
        var table: String, parent: String, month: String
        /// The partition's bounds (UTC), for attaching it again after a restore.
        var from: String, to: String
        var rows: Int64, bytes: Int64, sha256: String
        var pgDump: String
        var createdAt: String
    }

    let db: Connection
    let tools: ClientTools
    let connection: ClientConnection
    let directory: String
    let lockTimeoutMS: Int
    let runID: Int64
    let now: Date

    static let manifestSuffix = ".manifest.json"

    func path(of partition: MonthPartition) -> String { "\(directory)/\(partition.name).dump" }

    /// Archives and drops `partition`; returns its manifest.
    func archiveAndDrop(_ partition: MonthPartition) throws -> Manifest {
        if partition.attached { try detach(partition) }
        do {
            let manifest = try archive(partition)
            try db.transaction {
                try db.query("""
                    INSERT INTO partition_archive (table_name, parent, month, rows, path, sha256, bytes, run_id, dropped_at)
                    VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, now())
                    ON CONFLICT (table_name) DO UPDATE SET rows = EXCLUDED.rows, path = EXCLUDED.path, sha256 = EXCLUDED.sha256,
                        bytes = EXCLUDED.bytes, run_id = EXCLUDED.run_id, archived_at = now(), dropped_at = now()
                    """, [partition.name, partition.parent, partition.month.firstDay, Int(manifest.rows), path(of: partition),
                          manifest.sha256, Int(manifest.bytes), Int(runID)])
                try db.execute(script: "SET LOCAL lock_timeout = \(lockTimeoutMS); DROP TABLE \(Identifier.quoted(partition.name))")
            }
            return manifest
        } catch {
            try? attach(partition)
            throw error
        }
    }

    private func archive(_ partition: MonthPartition) throws -> Manifest {
        let table = Identifier.quoted(partition.name)
        let rows = Int64(try db.query("SELECT count(*) AS n FROM \(table)").first!.int("n"))
        try DurableFiles.makeDirectory(directory)
        let final = path(of: partition), partial = final + ".partial"
        var committed = false
        defer { if !committed { try? DurableFiles.remove(partial) } }
        try DurableFiles.remove(partial)
        try tools.dump(connection, tables: [partition.name], to: partial)
        let listing = try tools.list(partial)
        for entry in ["TABLE public \(partition.name) ", "TABLE DATA public \(partition.name) "] where !listing.contains(entry) {
            throw ArchiveFailure("the archive of \(partition.name) fails verification: pg_restore --list has no \"\(entry.trimmingCharacters(in: .whitespaces))\"")
        }
        let sha256 = try FileDigest.sha256(ofFile: partial)
        let bytes = (try FileManager.default.attributesOfItem(atPath: partial)[.size] as? NSNumber)?.int64Value ?? 0
        let (from, to) = MonthPartition.bounds(partition.month)
        let manifest = Manifest(table: partition.name, parent: partition.parent, month: partition.month.description, from: from, to: to,
                                rows: rows, bytes: bytes, sha256: sha256, pgDump: tools.pgDumpVersion,
                                createdAt: ISO8601DateFormatter().string(from: now))
        try DurableFiles.write(try Self.encoder.encode(manifest) + Data("\n".utf8), to: final + Self.manifestSuffix)
        try DurableFiles.commit(partial, to: final)
        committed = true
        return manifest
    }

    private func detach(_ partition: MonthPartition) throws {
        try db.transaction {
            try db.execute(script: "SET LOCAL lock_timeout = \(lockTimeoutMS); " +
                           "ALTER TABLE \(Identifier.quoted(partition.parent)) DETACH PARTITION \(Identifier.quoted(partition.name))")
        }
    }

    func attach(_ partition: MonthPartition) throws {
        let (from, to) = MonthPartition.bounds(partition.month)
        try db.transaction {
            try db.execute(script: "SET LOCAL lock_timeout = \(lockTimeoutMS); " +
                           "ALTER TABLE \(Identifier.quoted(partition.parent)) ATTACH PARTITION \(Identifier.quoted(partition.name)) " +
                           "FOR VALUES FROM ('\(from)') TO ('\(to)')")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()
}

struct ArchiveFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
