import Foundation
import TestSupport
import XCTest

/// SIGTERM or SIGINT while pg_dump waits for a table: pg_dump is stopped, no file takes a final
/// name, the run is `interrupted` (143 / 130); the next backup is made whole.
final class StopSignalTests: BackupTestCase {
    func testEachSignalStopsPgDumpAndLeavesNoBackupBehind() throws {
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let stopped = try runStopped("backup", ["--now", nextNow()], environment: environment, signal: signal,
                                         holding: "sample", mode: "ACCESS EXCLUSIVE", in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
            XCTAssertEqual(try db.connection.query("SELECT status FROM batch_runs ORDER BY id DESC LIMIT 1").first!.string("status"),
                           "interrupted")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: backupDirectory)) ?? []
            XCTAssertEqual(left.filter { $0.hasSuffix(".dump") }, [], "no backup under a final name")
            XCTAssertEqual(left.filter { $0.contains(".partial") }, [], "the partial file removed")
            XCTAssertEqual(try runToEnd("/usr/bin/pgrep", ["-f", "pg_dump.*\(db.name)"], environment: [:]).stdout, "",
                           "pg_dump is not left running")
        }
        let whole = try backup()
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: backupDirectory)
        XCTAssertEqual(files.filter { $0.hasSuffix(".dump") }.count, 1, "\(files)")
    }

    /// Started twice at once: the second is `skipped`; one backup is made.
    func testTwoStartsAtOnceMakeOneBackup() throws {
        let (first, second) = try runTwiceAtOnce("backup", ["--now", nextNow()], environment: environment,
                                                 holding: "sample", mode: "ACCESS EXCLUSIVE", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "backup"), ["succeeded", "skipped"])
        let files = try FileManager.default.contentsOfDirectory(atPath: backupDirectory)
        XCTAssertEqual(files.filter { $0.hasSuffix(".dump") }.count, 1, "\(files)")
    }
}
