import Backups
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Every failure leaves earlier backups untouched, nothing half-written under a final name, and
/// an exit code and ledger row that say what happened.
final class BackupFailureTests: BackupTestCase {
    /// The first, good backup and its digest, to check it survives each failure.
    func goodBackup() throws -> (path: String, sha256: String) {
        XCTAssertEqual(try backup().status, 0)
        let entry = try XCTUnwrap(catalog.entries.first)
        return (entry.path, try FileDigest.sha256(ofFile: entry.path))
    }

    func assertIntact(_ good: (path: String, sha256: String), file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try FileDigest.sha256(ofFile: good.path), good.sha256, "the earlier backup is untouched", file: file, line: line)
        XCTAssertEqual(catalog.entries.map(\.path), [good.path], "no new backup under a final name", file: file, line: line)
        XCTAssertEqual(catalog.partials, [], "no partial file left", file: file, line: line)
        XCTAssertEqual(catalog.orphanManifests, [], file: file, line: line)
    }

    func testDumpFailingMidwayKeepsNothing() throws {
        let good = try goodBackup()
        let blocker = try lockSample()
        let (process, finish) = try runExecutable("backup", ["--now", nextNow()], environment: environment)
        let pid = try waitForBlockedDump()
        // What a server shutdown does to the dump's session.
        try db.connection.query("SELECT pg_terminate_backend($1)", [pid])
        let result = finish()
        try blocker.execute(script: "ROLLBACK")
        blocker.close()
        XCTAssertFalse(process.isRunning)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("pg_dump exited 1"), result.stderr)
        let run = try lastRun()
        XCTAssertEqual(try run.string("status"), "failed")
        let error = try run.string("error")
        XCTAssertTrue(error.contains("dump failed"), error)
        try assertIntact(good)
    }

    func testMissingPgDumpIsAConfigurationError() throws {
        let good = try goodBackup()
        let result = try backup([], ["BACKUP_PG_DUMP": root + "/no/such/pg_dump"])
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("backup.pg_dump"), result.stderr)
        XCTAssertEqual(try lastRun().string("status"), "failed")
        try assertIntact(good)
    }

    func testPgDumpOlderThanTheServerIsRefusedBeforeWriting() throws {
        let good = try goodBackup()
        let old = root + "/old_pg_dump"
        try "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n".write(toFile: old, atomically: true, encoding: .utf8)
        chmod(old, 0o755)
        let result = try backup([], ["BACKUP_PG_DUMP": old])
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("pg_dump 15 or newer"), result.stderr)
        try assertIntact(good)
    }

    func testFullDiskFailsCleanly() throws {
        try FileManager.default.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
        let mount = try ChildProcess.run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", backupDirectory])
        XCTAssertEqual(mount.status, 0, "tests run as root and mount a 1 MiB tmpfs: \(mount.stderr)")
        defer { _ = try? ChildProcess.run("umount", [backupDirectory]) }
        let good = try goodBackup()
        // About 2.5 MB of dump that does not compress away.
        try db.connection.execute(script: """
            CREATE TABLE filler AS SELECT md5(random()::text) || md5(random()::text) AS noise FROM generate_series(1, 80000)
            """)
        let result = try backup()
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("disk full"), result.stderr)
        try assertIntact(good)
        XCTAssertEqual(try backup(["verify", good.path]).status, 0)
    }

    func testCorruptedBackupIsReportedAndNotCountedAsGood() throws {
        let good = try goodBackup()
        XCTAssertEqual(try backup().status, 0)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: good.path))
        try handle.seek(toOffset: 2000)
        let byte = try handle.read(upToCount: 1)!
        try handle.seek(toOffset: 2000)
        try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try handle.close()

        let result = try backup(["verify"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("BROKEN") && result.stderr.contains("SHA-256 mismatch"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "only the broken one is reported: \(result.stderr)")
        let entry = try XCTUnwrap(catalog.entries.first { $0.path == good.path })
        XCTAssertFalse(entry.isVerified)
        XCTAssertEqual(entry.manifest?.lastCheck?.passed, false)
        XCTAssertTrue(try backup(["list"]).stdout.contains("FAILED"))
        XCTAssertEqual(try backup(["verify", "--latest"]).status, 0, "the newer one is fine")
        XCTAssertEqual(try backup(["restore", good.path, "--into", "never_made"]).status, 2)
    }

    func testSecondRunWhileOneRunsIsSkipped() throws {
        let blocker = try lockSample()
        let (_, finish) = try runExecutable("backup", ["--now", nextNow()], environment: environment)
        _ = try waitForBlockedDump()
        let second = try backup()
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try lastRun().string("status"), "skipped")
        try blocker.execute(script: "ROLLBACK")
        blocker.close()
        let first = finish()
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(catalog.entries.count, 1)
    }

    func testSigkillLeavesNoFinalFileAndTheNextRunFinishes() throws {
        let good = try goodBackup()
        let blocker = try lockSample()
        let (process, finish) = try runExecutable("backup", ["--now", nextNow()], environment: environment)
        _ = try waitForBlockedDump()
        XCTAssertFalse(catalog.partials.isEmpty, "pg_dump is writing its .partial file")
        kill(process.processIdentifier, SIGKILL)
        XCTAssertEqual(finish().status, SIGKILL)
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        // pg_dump dies with its parent although it is still waiting for the lock.
        let deadline = Date().addingTimeInterval(10)
        while !dumpProcesses().isEmpty && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(dumpProcesses(), [], "pg_dump outlived the killed backup process")
        try blocker.execute(script: "ROLLBACK")
        blocker.close()
        XCTAssertEqual(try FileDigest.sha256(ofFile: good.path), good.sha256)
        XCTAssertEqual(catalog.entries.map(\.path), [good.path])

        let next = try backup()
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(catalog.partials, [], "the next run removed the leftover")
        XCTAssertEqual(catalog.entries.count, 2)
        let statuses = try db.connection.query("SELECT status FROM batch_runs WHERE job = 'backup' ORDER BY id").rows
            .map { try $0.string("status") }
        XCTAssertEqual(statuses, ["succeeded", "abandoned", "succeeded"])
    }

    func testSigkillDuringAParallelDumpEndsEveryPgDumpWorkerAtOnce() throws {
        // Two large tables, so both of pg_dump's workers are busy for seconds when the job dies.
        try db.connection.execute(script: """
            CREATE TABLE big_a AS SELECT g AS id, repeat(md5(g::text), 10) AS payload FROM generate_series(1, 400000) g;
            CREATE TABLE big_b AS SELECT * FROM big_a;
            """)
        let (process, finish) = try runExecutable("backup", ["--jobs", "2", "--now", nextNow()], environment: environment)
        // Wait until both workers are writing table data into the .partial directory.
        func dataFilesWritten() -> Int {
            catalog.partials.flatMap { partial in
                ((try? FileManager.default.contentsOfDirectory(atPath: partial)) ?? []).filter { $0.hasSuffix(".dat.gz") }
                    .filter { (((try? FileManager.default.attributesOfItem(atPath: partial + "/" + $0))?[.size] as? NSNumber)?.intValue ?? 0) > 1_000_000 }
            }.count
        }
        let deadline = Date().addingTimeInterval(60)
        while dataFilesWritten() < 2 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(dataFilesWritten(), 2, "both workers are dumping")
        XCTAssertGreaterThanOrEqual(dumpProcesses().count, 3, "pg_dump and its two workers are running")
        kill(process.processIdentifier, SIGKILL)
        let killed = Date()
        _ = finish()  // returns when the last holder of its stderr pipe — a pg_dump worker, before — is gone
        while !dumpProcesses().isEmpty && Date().timeIntervalSince(killed) < 10 { usleep(20_000) }
        XCTAssertEqual(dumpProcesses(), [], "pg_dump's workers outlived the killed backup")
        XCTAssertLessThan(Date().timeIntervalSince(killed), 1.0, "they end with the job, not when their table is done")
        XCTAssertEqual(catalog.entries.count, 0, "nothing under a final name")
        let next = try backup(["--jobs", "2"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(catalog.partials, [], "the next run removed the leftover")
    }
}
