import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// Files with set modification times: old rotated logs compressed into the archive and very old
/// archives deleted, never a file being written; leftovers of killed runs removed after a day.
final class MaintenanceFilesTests: DatabaseTestCase {
    let now = Date(timeIntervalSince1970: 1_796_497_200)  // 2026-12-06 04:00 Asia/Tokyo
    var logs: String { root + "/logs" }

    func file(_ path: String, daysOld: Double, _ text: String = "line\n") throws {
        try DurableFiles.makeDirectory(DurableFiles.parent(of: path))
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-daysOld * 86_400)], ofItemAtPath: path)
    }

    func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func maintenance(_ arguments: [String] = []) throws -> ProcessResult {
        try runToEnd("maintenance", arguments + ["--now", "2026-12-06T04:00"], environment: [
            "DATABASE_URL": db.url, "LOG_DIR": logs, "OUTPUT_DIR": root + "/output", "BACKUP_DIR": root + "/backups",
            "MAINTENANCE_ARCHIVE_DIR": root + "/archive", "MAINTENANCE_HEALTH_SKIP": "backup_age"])
    }

    func testOldRotatedLogsAreCompressedAndOldArchivesDeletedButNeverALiveFile() throws {
        try file(logs + "/batch_processing.log", daysOld: 30)       // being written (old only in its time)
        try file(logs + "/batch_processing.log.2", daysOld: 8, "old rotated\n")
        try file(logs + "/batch_processing.log.1", daysOld: 2)
        try file(logs + "/jobs_20261120.log", daysOld: 16, "a past day\n")
        try file(logs + "/jobs_20261206.log", daysOld: 9)            // today's, by the run's clock
        try file(logs + "/archive/batch_errors.log.3.1780000000.gz", daysOld: 100)
        try file(logs + "/archive/batch_errors.log.4.1785000000.gz", daysOld: 50)

        let dry = try maintenance(["--dry-run"])
        XCTAssertTrue(dry.stdout.contains("would archive the log \(logs)/batch_processing.log.2\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("would delete the log archive \(logs)/archive/batch_errors.log.3.1780000000.gz"), dry.stdout)
        XCTAssertTrue(listing(logs).contains("batch_processing.log.2"), "a dry run moves nothing")

        let result = try maintenance()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(listing(logs).filter { $0 != "archive" && $0 != "batch_errors.log" },
                       ["batch_processing.log", "batch_processing.log.1", "jobs_20261206.log"])
        let rotated = Int(now.timeIntervalSince1970 - 8 * 86_400)
        XCTAssertEqual(listing(logs + "/archive"), ["batch_errors.log.4.1785000000.gz", "batch_processing.log.2.\(rotated).gz",
                                                   "jobs_20261120.log.\(Int(now.timeIntervalSince1970 - 16 * 86_400)).gz"])
        let unzip = try runToEnd("/bin/gzip", ["-dc", logs + "/archive/batch_processing.log.2.\(rotated).gz"], environment: [:])
        XCTAssertEqual(unzip.stdout, "old rotated\n", "the archive holds the file")
    }

    func testLeftoversOfKilledRunsOlderThanADayAreRemoved() throws {
        try file(root + "/output/invoices/2026-11/INV-1.pdf.partial", daysOld: 2)
        try file(root + "/output/invoices/2026-11/INV-2.pdf.partial", daysOld: 0.01)  // a running job's
        try file(root + "/backups/nightshift-x.dump.partial", daysOld: 3)
        try file(root + "/output/invoices/2026-11/INV-3.pdf", daysOld: 40)
        let stale = "nightshift_verify_99999_\(Int(now.timeIntervalSince1970) - 2 * 86_400)"
        let fresh = "nightshift_verify_99998_\(Int(now.timeIntervalSince1970) - 600)"
        let admin = try Connection(url: TestEnvironment.adminURL)
        defer { admin.close() }
        for name in [stale, fresh] { try admin.execute(script: "CREATE DATABASE \(name)") }
        defer { for name in [stale, fresh] { _ = try? admin.execute(script: "DROP DATABASE IF EXISTS \(name)") } }

        let result = try maintenance()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(listing(root + "/output/invoices/2026-11"), ["INV-2.pdf.partial", "INV-3.pdf"])
        XCTAssertEqual(listing(root + "/backups"), [])
        let left = try admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'nightshift_verify_9999%' ORDER BY 1").rows
            .map { try $0.string("datname") }
        XCTAssertEqual(left, [fresh], "a verification started ten minutes ago may still be running")
    }
}
