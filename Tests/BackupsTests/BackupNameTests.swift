import XCTest
@testable import Backups

final class BackupNameTests: XCTestCase {
    func testNamesRoundTrip() {
        let time = Date(timeIntervalSince1970: 1_795_395_600.9)  // 2026-11-23T01:00:00Z
        let name = BackupName(database: "nightshift_main", time: time, format: .custom, encrypted: false)
        XCTAssertEqual(name.fileName, "backup_nightshift_main_20261123T010000Z.dump")
        XCTAssertEqual(name.partialName, "backup_nightshift_main_20261123T010000Z.dump.partial")
        XCTAssertEqual(BackupName.parse(name.fileName), name)
        let encrypted = BackupName(database: "db", time: time, format: .custom, encrypted: true)
        XCTAssertEqual(encrypted.fileName, "backup_db_20261123T010000Z.dump.age")
        XCTAssertEqual(encrypted.partialName, "backup_db_20261123T010000Z.dump.partial")
        XCTAssertEqual(BackupName.parse(encrypted.fileName), encrypted)
        let directory = BackupName(database: "db", time: time, format: .directory, encrypted: false)
        XCTAssertEqual(directory.fileName, "backup_db_20261123T010000Z.dir")
        XCTAssertEqual(BackupName.parse(directory.fileName), directory)
    }

    func testForeignNamesAreNotBackups() {
        for name in ["backup_db_20261123T010000Z.dump.partial", "backup_db_20261123T010000Z.dump.manifest.json",
                     "backup__20261123T010000Z.dump", "backup_db_20261323T010000Z.dump", "backup_db_2026112T010000Z.dump",
                     "mybackup_db_20261123T010000Z.dump", "backup_db_20261123T010000Z.sql", "backup_d b_20261123T010000Z.dump"] {
            XCTAssertNil(BackupName.parse(name), name)
        }
    }

    func testDatabaseNamesAreMadeFileSafe() {
        XCTAssertEqual(BackupName.fileSafe("shop/db ä"), "shop-db--")
        XCTAssertEqual(BackupName(database: "a b", time: Date(timeIntervalSince1970: 0), format: .custom, encrypted: false).fileName,
                       "backup_a-b_19700101T000000Z.dump")
    }
}
