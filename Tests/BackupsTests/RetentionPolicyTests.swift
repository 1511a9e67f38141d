import Foundation
import XCTest
@testable import Backups

/// Retention arithmetic on aged backups, with expectations worked out by hand.
final class RetentionPolicyTests: XCTestCase {
    /// 2026-11-23T01:00:00Z: the nightly backups below are made at this time of day.
    let now = Date(timeIntervalSince1970: 1_795_395_600)

    func daysAgo(_ days: Int) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }

    func entry(_ age: Int, verified: Bool = true, lastCheckPassed: Bool? = nil, ours: Bool = true) -> BackupEntry {
        let name = BackupName(database: "db", time: daysAgo(age), format: .custom, encrypted: false)
        let check = { (passed: Bool) in
            BackupManifest.Verification(level: .list, passed: passed, checkedAt: name.time, detail: "")
        }
        let manifest = BackupManifest(
            file: name.fileName, database: "db", format: .custom, jobs: 1, serverVersion: "15", pgDumpVersion: "15",
            host: "h", startedAt: name.time, finishedAt: name.time, sizeBytes: 1, sha256: "", plaintextSha256: nil,
            files: nil, encrypted: false, ageRecipient: nil, tableCount: 0, tables: [],
            verification: check(verified), lastCheck: lastCheckPassed.map(check))
        return BackupEntry(name: name, path: "/b/" + name.fileName, manifest: ours ? manifest : nil,
                           manifestProblem: ours ? nil : "no manifest")
    }

    /// Ages (in days) of what the policy deletes.
    func deletedAges(_ entries: [BackupEntry], days: Int, keep: Int, newVerified: Int = 0) -> [Int] {
        RetentionPolicy(days: days, keep: keep).deletions(entries, now: now, newVerified: newVerified)
            .map { Int((now.timeIntervalSince($0.name.time) / 86_400).rounded()) }
            .sorted()
    }

    func testDaysDecideWhenMoreThanTheKeptCountIsOldEnough() {
        // 40 nightly backups aged 0…39 days; older than 30 days means 31…39 (exactly 30 stays).
        XCTAssertEqual(deletedAges((0..<40).map { entry($0) }, days: 30, keep: 7), Array(31...39))
    }

    func testCountKeepsTheNewestEvenWhenTheyAreOld() {
        // days=1: everything from 2 days on is old enough, but the newest 7 (0…6) stay.
        XCTAssertEqual(deletedAges((0..<10).map { entry($0) }, days: 1, keep: 7), [7, 8, 9])
        // All ten are 100+ days old: still only beyond the newest 7.
        XCTAssertEqual(deletedAges((100..<110).map { entry($0) }, days: 30, keep: 7), [107, 108, 109])
    }

    func testNothingYoungEnoughIsDeletedWhateverTheCount() {
        XCTAssertEqual(deletedAges((0..<10).map { entry($0) }, days: 30, keep: 3), [])
    }

    func testOnlyVerifiedBackupsCountTowardsTheKeptOnes() {
        // keep=2, all old: the failed 100-day backup does not count, so 101 and 102 are kept.
        let entries = [entry(100, verified: false), entry(101), entry(102), entry(103)]
        XCTAssertEqual(deletedAges(entries, days: 30, keep: 2), [100, 103])
        // A later `backup verify` that found 101 broken moves protection on to 102 and 103.
        let checked = [entry(100, verified: false), entry(101, lastCheckPassed: false), entry(102), entry(103)]
        XCTAssertEqual(deletedAges(checked, days: 30, keep: 2), [100, 101])
    }

    func testTheNewestVerifiedBackupIsNeverDeleted() {
        // keep=1, days=0: only the newest verified one (2 days) survives; the unverified newer one goes.
        let entries = [entry(1, verified: false), entry(2), entry(3)]
        XCTAssertEqual(deletedAges(entries, days: 0, keep: 1), [1, 3])
    }

    func testWithoutAnyVerifiedBackupNothingIsDeleted() {
        let entries = (40..<50).map { entry($0, verified: false) }
        XCTAssertEqual(deletedAges(entries, days: 30, keep: 3), [])
    }

    func testFilesWithoutOurManifestAreNeverCandidates() {
        let entries = [entry(0), entry(200, ours: false), entry(300, ours: false), entry(90)]
        XCTAssertEqual(deletedAges(entries, days: 30, keep: 1), [90])
    }

    func testAPlannedBackupCountsAsTheNewestVerifiedOne() {
        // A dry run plans as if today's backup succeeded: with keep=2 only one existing one is kept.
        let entries = [entry(40), entry(41), entry(42)]
        XCTAssertEqual(deletedAges(entries, days: 30, keep: 2, newVerified: 1), [41, 42])
        XCTAssertEqual(deletedAges(entries, days: 30, keep: 2), [42])
    }
}
