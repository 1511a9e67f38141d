import NightshiftCore
import TestSupport
import XCTest
@testable import Backups

final class BackupSettingsTests: XCTestCase {
    func testDefaults() async throws {
        let settings = try BackupSettings.load(try await ConfigValues.load(filePath: nil, environment: [:]))
        XCTAssertEqual(settings.directory, "backups")
        XCTAssertEqual(settings.retention, RetentionPolicy(days: 30, keep: 7))
        XCTAssertEqual(settings.copyRetention, RetentionPolicy(days: 30, keep: 7))
        XCTAssertEqual(settings.jobs, 1)
        XCTAssertNil(settings.ageRecipient)
        XCTAssertNil(settings.copyDirectory)
    }

    func testTheExampleConfigurationLoadsAndTheEnvironmentOverridesIt() async throws {
        let path = TestEnvironment.packageRoot + "/config.example.json"
        let settings = try BackupSettings.load(try await ConfigValues.load(filePath: path, environment: ["BACKUP_KEEP_COUNT": "3"]))
        XCTAssertEqual(settings.directory, "/opt/nightshift/backups")
        XCTAssertEqual(settings.retention, RetentionPolicy(days: 30, keep: 3))
        XCTAssertEqual(settings.copyRetention, RetentionPolicy(days: 90, keep: 14))
        XCTAssertEqual(settings.verifyRestoreEvery, 7)
        XCTAssertNil(settings.ageRecipient, "an empty recipient means no encryption")
        XCTAssertNil(settings.copyDirectory)
    }

    func testInvalidValuesNameTheirKey() async throws {
        for (variable, key) in [("BACKUP_KEEP_COUNT", "backup.keep_count"), ("BACKUP_JOBS", "backup.jobs"),
                                ("BACKUP_RETENTION_DAYS", "backup.retention_days"), ("BACKUP_AGE_RECIPIENT", "backup.age_recipient")] {
            let config = try await ConfigValues.load(filePath: nil, environment: [variable: "0x"])
            XCTAssertThrowsError(try BackupSettings.load(config), variable) { error in
                XCTAssertEqual((error as? ConfigurationError)?.key, key)
            }
        }
        let zeroKeep = try await ConfigValues.load(filePath: nil, environment: ["BACKUP_KEEP_COUNT": "0"])
        XCTAssertThrowsError(try BackupSettings.load(zeroKeep), "keeping no verified backup is refused")
    }
}
