import Backups
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Retention over aged backups, encryption, the copy directory, and where the password goes.
final class BackupOptionsTests: BackupTestCase {
    func testRetentionDeletesOnlyOldBackupsBeyondTheKeptCountAndNeverForeignFiles() throws {
        let settings = ["BACKUP_RETENTION_DAYS": "30", "BACKUP_KEEP_COUNT": "2"]
        let foreign = "\(backupDirectory)/backup_\(db.name)_20250101T000000Z.dump"  // our name, no manifest
        let notes = "\(backupDirectory)/notes.txt"
        let stamps = ["2026-09-01T01:00:00Z", "2026-10-01T01:00:00Z", "2026-10-20T01:00:00Z"]
        for (index, stamp) in stamps.enumerated() {
            XCTAssertEqual(try backup(["--now", stamp], settings).status, 0)
            if index == 0 {
                try "not a backup".write(toFile: foreign, atomically: true, encoding: .utf8)
                try "keep me".write(toFile: notes, atomically: true, encoding: .utf8)
            }
        }
        // 10-20: 09-01 is 49 days old and outside the newest two (10-20, 10-01).
        XCTAssertEqual(catalog.entries(of: db.name).filter(\.isOurs).map { BackupName.stamp($0.name.time) },
                       ["20261020T010000Z", "20261001T010000Z"])
        XCTAssertEqual(try db.connection.query(
            "SELECT metadata->>'deleted' AS n FROM batch_runs WHERE job = 'backup' ORDER BY id DESC LIMIT 1").first!.string("n"), "1")

        // On 11-23 the new backup and 10-20 are the newest two; 10-01 (53 days) goes.
        let plan = try backup(["--dry-run", "--now", "2026-11-23T01:00:00Z"], settings)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let planned = plan.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(planned.count, 2, plan.stdout)
        XCTAssertTrue(planned[0].hasPrefix("would create \(backupDirectory)/backup_\(db.name)_20261123T010000Z.dump"), plan.stdout)
        XCTAssertTrue(planned[1].hasPrefix("would delete \(backupDirectory)/backup_\(db.name)_20261001T010000Z.dump "), plan.stdout)
        XCTAssertTrue(planned[1].contains("53 days old"), plan.stdout)
        XCTAssertEqual(catalog.entries.count, 3, "a dry run changes nothing")

        XCTAssertEqual(try backup(["--now", "2026-11-23T01:00:00Z"], settings).status, 0)
        XCTAssertEqual(catalog.entries(of: db.name).filter(\.isOurs).map { BackupName.stamp($0.name.time) },
                       ["20261123T010000Z", "20261020T010000Z"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign), "a file without our manifest is never deleted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: notes))
    }

    func testEncryptedBackupNeedsOnlyThePublicKeyAndRestoresWithTheIdentity() throws {
        let identity = root + "/identity.txt"
        let keygen = try ChildProcess.run(ChildProcess.locate("age-keygen")!, ["-o", identity])
        XCTAssertTrue(keygen.succeeded, keygen.stderr)
        let recipient = try XCTUnwrap(try String(contentsOfFile: identity, encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst("# public key: ".count))

        let made = try backup([], ["BACKUP_AGE_RECIPIENT": String(recipient)])
        XCTAssertEqual(made.status, 0, made.stderr)
        let entry = try XCTUnwrap(catalog.entries.first)
        XCTAssertTrue(entry.name.fileName.hasSuffix(".dump.age"))
        XCTAssertEqual(files(), [entry.name.fileName, entry.name.manifestName], "no plaintext left behind")
        let head = try XCTUnwrap(FileManager.default.contents(atPath: entry.path)).prefix(21)
        XCTAssertEqual(String(decoding: head, as: UTF8.self), "age-encryption.org/v1")
        let manifest = try XCTUnwrap(entry.manifest)
        XCTAssertTrue(manifest.encrypted)
        XCTAssertEqual(manifest.sha256, try FileDigest.sha256(ofFile: entry.path))
        XCTAssertNotNil(manifest.plaintextSha256)
        XCTAssertTrue(manifest.verification.passed)

        let shallow = try backup(["verify", entry.name.fileName])
        XCTAssertEqual(shallow.status, 0, shallow.stderr)
        let deep = try backup(["verify", entry.name.fileName, "--identity", identity])
        XCTAssertEqual(deep.status, 0, deep.stderr)

        let target = "r_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        defer { dropDatabase(target) }
        let withoutKey = try backup(["restore", entry.name.fileName, "--into", target])
        XCTAssertEqual(withoutKey.status, 64, withoutKey.stderr)
        XCTAssertTrue(withoutKey.stderr.contains("--identity"), withoutKey.stderr)
        let restored = try backup(["restore", entry.name.fileName, "--into", target, "--identity", identity])
        XCTAssertEqual(restored.status, 0, restored.stderr)
        XCTAssertEqual(try fingerprint(url(of: target)), try fingerprint(db.url))
    }

    func testABadAgeRecipientIsAConfigurationError() throws {
        let result = try backup([], ["BACKUP_AGE_RECIPIENT": "age1notakey"])
        XCTAssertEqual(result.status, 78)
        XCTAssertTrue(result.stderr.contains("backup.age_recipient"), result.stderr)
        XCTAssertEqual(files(), [])
    }

    func testAFailedCopyIsAnItemFailureAndTheNextRunCatchesUp() throws {
        let copies = root + "/copies"
        try "a file where the directory should be".write(toFile: copies, atomically: true, encoding: .utf8)
        let first = try backup([], ["BACKUP_COPY_DIR": copies])
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains(copies), first.stderr)
        XCTAssertEqual(catalog.entries.count, 1, "the backup itself stands")
        XCTAssertEqual(try lastRun().string("status"), "partial")
        let open = try db.connection.query(
            "SELECT item_key FROM batch_failures WHERE job = 'backup' AND resolved_at IS NULL")
        XCTAssertEqual(try open.rows.map { try $0.string("item_key") }, ["copy:\(copies)"])

        try FileManager.default.removeItem(atPath: copies)
        let second = try backup([], ["BACKUP_COPY_DIR": copies])
        XCTAssertEqual(second.status, 0, second.stderr)
        let copied = try BackupCatalog.scan(copies)
        XCTAssertEqual(Set(copied.entries.map(\.name.fileName)), Set(catalog.entries.map(\.name.fileName)))
        XCTAssertEqual(copied.entries.count, 2)
        for entry in copied.entries {
            XCTAssertTrue(entry.isVerified)
            XCTAssertEqual(try FileDigest.sha256(ofFile: entry.path), entry.manifest?.sha256)
            XCTAssertEqual(try mode(entry.path), 0o600)
        }
        XCTAssertEqual(try db.connection.query(
            "SELECT count(*) AS n FROM batch_failures WHERE job = 'backup' AND resolved_at IS NULL").first!.int("n"), 0)
    }

    func testThePasswordReachesPgDumpOnlyThroughItsEnvironment() throws {
        let password = "right-password"
        try db.connection.execute(script: """
            GRANT USAGE ON SCHEMA "odd schema" TO nightshift_pw;
            GRANT SELECT ON ALL TABLES IN SCHEMA "odd schema" TO nightshift_pw;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO nightshift_pw;
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO nightshift_pw;
            """)
        var components = URLComponents(string: db.url)!
        components.user = "nightshift_pw"
        components.password = password
        // Records what pg_dump's process shows other users, then becomes the real pg_dump.
        let seen = root + "/seen"
        let wrapper = root + "/pg_dump"
        let real = try XCTUnwrap(ChildProcess.locate("pg_dump"))
        try """
            #!/bin/sh
            tr '\\0' ' ' < /proc/$$/cmdline >> '\(seen)'; echo >> '\(seen)'
            tr '\\0' '\\n' < /proc/$$/environ | grep -c '^PGPASSWORD=' >> '\(seen)'
            exec '\(real)' "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)

        let result = try backup(["--verbose"], ["DATABASE_URL": components.string!, "BACKUP_PG_DUMP": wrapper])
        XCTAssertEqual(result.status, 0, result.stderr)
        let recorded = try String(contentsOfFile: seen, encoding: .utf8)
        XCTAssertTrue(recorded.contains("--snapshot"), "the dump itself was recorded: \(recorded)")
        XCTAssertTrue(recorded.contains("nightshift_pw@"), recorded)
        XCTAssertFalse(recorded.contains(password), recorded)
        XCTAssertTrue(recorded.split(separator: "\n").contains("1"), "PGPASSWORD in the child's environment: \(recorded)")

        var everything = result.stdout + result.stderr
        for log in (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? [] {
            everything += try String(contentsOfFile: logDirectory + "/" + log, encoding: .utf8)
        }
        let ledger = try db.connection.query("SELECT coalesce(b::text, '') AS t FROM batch_runs b")
        everything += try ledger.rows.map { try $0.string("t") }.joined()
        XCTAssertTrue(everything.contains("backup verified"), "the logs were read")
        XCTAssertFalse(everything.contains(password))
        for entry in catalog.entries {
            XCTAssertFalse(try String(contentsOfFile: entry.manifestPath, encoding: .utf8).contains(password))
        }

        // A wrong password is reported without echoing it.
        components.password = "wrong-secret-7731"
        let refused = try backup([], ["DATABASE_URL": components.string!])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertFalse((refused.stdout + refused.stderr).contains("wrong-secret-7731"), refused.stderr)
    }
}
