import Backups
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

final class BackupRunTests: BackupTestCase {
    func testBackupIsQuietPrivateVerifiedAndRestoresTheSameRows() throws {
        let result = try backup()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "", "a successful cron run prints nothing")

        let entry = try XCTUnwrap(catalog.entries.first)
        XCTAssertEqual(catalog.entries.count, 1)
        XCTAssertEqual(entry.name.fileName, "backup_\(db.name)_20261123T010100Z.dump")
        XCTAssertEqual(files(), [entry.name.fileName, entry.name.manifestName], "nothing else left behind")
        XCTAssertEqual(try mode(backupDirectory), 0o700)
        XCTAssertEqual(try mode(entry.path), 0o600)
        XCTAssertEqual(try mode(entry.manifestPath), 0o600)

        let manifest = try XCTUnwrap(entry.manifest)
        XCTAssertEqual(manifest.database, db.name)
        XCTAssertEqual(manifest.sha256, try FileDigest.sha256(ofFile: entry.path))
        XCTAssertEqual(manifest.sizeBytes, Int64(try Data(contentsOf: URL(fileURLWithPath: entry.path)).count))
        XCTAssertTrue(manifest.pgDumpVersion.hasPrefix("pg_dump (PostgreSQL) "), manifest.pgDumpVersion)
        XCTAssertFalse(manifest.serverVersion.isEmpty)
        XCTAssertEqual(manifest.verification.level, .list)
        XCTAssertTrue(manifest.verification.passed)
        let names = manifest.tables.map(\.qualifiedName)
        XCTAssertTrue(names.contains("public.sample") && names.contains("odd schema.Mixed Case") && names.contains("public.batch_runs"), "\(names)")
        XCTAssertEqual(manifest.tableCount, names.count)
        XCTAssertEqual(manifest.tables.first { $0.name == "sample" }?.rowEstimate, 500)

        let run = try lastRun()
        XCTAssertEqual(try run.string("status"), "succeeded")
        let metadata = try run.string("metadata")
        XCTAssertTrue(metadata.contains(manifest.sha256) && metadata.contains(entry.name.fileName), metadata)

        let target = "r_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        defer { dropDatabase(target) }
        let restored = try backup(["restore", entry.name.fileName, "--into", target])
        XCTAssertEqual(restored.status, 0, restored.stderr)
        XCTAssertEqual(try fingerprint(url(of: target)), try fingerprint(db.url))
        XCTAssertEqual(try fingerprint(db.url).prefix(4), "500:")

        // An existing non-empty database is refused without --force, restored over with it.
        try db.connection.query("DELETE FROM sample WHERE id > 10")
        let refused = try backup(["restore", entry.path, "--into", target])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        let target2 = try Connection(url: url(of: target))
        try target2.query("DELETE FROM sample")
        target2.close()
        let forced = try backup(["restore", entry.path, "--into", target, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try fingerprint(url(of: target)).prefix(4), "500:")
    }

    func testVerifyRestoreComparesExactCountsFromTheDumpSnapshot() throws {
        let result = try backup(["--verify-restore"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let manifest = try XCTUnwrap(catalog.entries.first?.manifest)
        XCTAssertEqual(manifest.verification.level, .restore)
        XCTAssertTrue(manifest.verification.detail.contains("counts match"), manifest.verification.detail)
        XCTAssertEqual(manifest.tables.first { $0.name == "sample" }?.rows, 500)
        XCTAssertEqual(manifest.tables.first { $0.name == "Mixed Case" }?.rows, 3)
        let leftovers = try db.connection.query("SELECT count(*) AS n FROM pg_database WHERE datname LIKE 'nightshift_verify_%'")
        XCTAssertEqual(try leftovers.first!.int("n"), 0, "the scratch database is dropped")

        let verified = try backup(["verify", "--latest", "--restore"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
    }

    func testEveryNthRunRestoreVerifies() throws {
        for _ in 0..<4 { XCTAssertEqual(try backup([], ["BACKUP_VERIFY_RESTORE_EVERY": "3"]).status, 0) }
        let levels = catalog.entries.reversed().map { $0.manifest!.verification.level }
        XCTAssertEqual(levels, [.restore, .list, .list, .restore])
    }

    func testParallelDirectoryFormat() throws {
        let result = try backup(["--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let entry = try XCTUnwrap(catalog.entries.first)
        XCTAssertTrue(entry.name.fileName.hasSuffix(".dir"))
        XCTAssertEqual(try mode(entry.path), 0o700)
        let manifest = try XCTUnwrap(entry.manifest)
        XCTAssertEqual(manifest.format, .directory)
        XCTAssertEqual(manifest.jobs, 2)
        let stored = try XCTUnwrap(manifest.files)
        XCTAssertTrue(stored.contains { $0.name == "toc.dat" })
        for file in stored {
            XCTAssertEqual(try mode("\(entry.path)/\(file.name)"), 0o600, file.name)
            XCTAssertEqual(try FileDigest.sha256(ofFile: "\(entry.path)/\(file.name)"), file.sha256)
        }
        XCTAssertEqual(try backup(["verify", entry.name.fileName]).status, 0)

        let target = "r_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        defer { dropDatabase(target) }
        let restored = try backup(["restore", entry.path, "--into", target, "--jobs", "2"])
        XCTAssertEqual(restored.status, 0, restored.stderr)
        XCTAssertEqual(try fingerprint(url(of: target)), try fingerprint(db.url))
    }

    func testDryRunWritesNothing() throws {
        let result = try backup(["--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("would create \(backupDirectory)/backup_\(db.name)_"), result.stdout)
        XCTAssertEqual(files(), [])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_runs WHERE job = 'backup'").first!.int("n"), 0)
    }

    func testInvalidConfigurationNamesTheKey() throws {
        for (key, value, name) in [("BACKUP_RETENTION_DAYS", "-1", "backup.retention_days"),
                                   ("BACKUP_KEEP_COUNT", "zero", "backup.keep_count"),
                                   ("BACKUP_AGE_RECIPIENT", "not-a-key", "backup.age_recipient")] {
            let result = try backup([], [key: value])
            XCTAssertEqual(result.status, 78, "\(key): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(name), result.stderr)
            let listed = try backup(["list"], [key: value])
            XCTAssertEqual(listed.status, 78, "\(key): \(listed.stderr)")
        }
        XCTAssertEqual(files(), [])
    }

    func testListShowsBackupsNewestFirst() throws {
        XCTAssertEqual(try backup().status, 0)
        XCTAssertEqual(try backup(["--verify-restore"]).status, 0)
        let table = try backup(["list"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, table.stdout)
        XCTAssertTrue(lines[0].hasPrefix("TIME "))
        XCTAssertTrue(lines[1].contains("+09:00"), String(lines[1]))
        XCTAssertTrue(lines[1].contains("20261123T010200Z") && lines[1].contains("restore"), String(lines[1]))
        XCTAssertTrue(lines[2].contains("20261123T010100Z") && lines[2].contains(" list "), String(lines[2]))
        let json = try backup(["list", "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(parsed.count, 2)
        XCTAssertEqual(parsed[0]["verification"] as? String, "restore")
        XCTAssertEqual(parsed[1]["encrypted"] as? Bool, false)
        XCTAssertEqual(parsed[1]["verified"] as? Bool, true)
    }
}
