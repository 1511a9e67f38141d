import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

final class ConfigTests: XCTestCase {
    func writeConfig(_ json: String) throws -> String {
        let path = try temporaryDirectory() + "/config.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testDefaults() async throws {
        let config = try await ConfigValues.load(filePath: nil, environment: ["DATABASE_URL": "postgresql://u@h/db"])
        let settings = try CoreSettings.load(from: config)
        XCTAssertEqual(settings.logLevel, .info)
        XCTAssertEqual(settings.logDirectory, "logs")
        XCTAssertEqual(settings.environment, .production)
        XCTAssertEqual(settings.timeZone.identifier, "Asia/Tokyo")
        XCTAssertEqual(settings.statusCollectionIntervalMinutes, 30)
        XCTAssertEqual(settings.historyCalculationIntervalMinutes, 360)
    }

    func testEnvironmentOverridesFile() async throws {
        let path = try writeConfig("""
            {"database": {"url": "postgresql://file@h/db"}, "log": {"level": "warning", "dir": "/tmp/a"},
             "status_collection": {"interval": 15}, "timezone": "Europe/London"}
            """)
        let config = try await ConfigValues.load(filePath: path, environment: ["LOG_DIR": "/tmp/b", "STATUS_COLLECTION_INTERVAL": "20"])
        let settings = try CoreSettings.load(from: config)
        XCTAssertEqual(settings.databaseURL, "postgresql://file@h/db")
        XCTAssertEqual(settings.logLevel, .warning)
        XCTAssertEqual(settings.logDirectory, "/tmp/b")
        XCTAssertEqual(settings.statusCollectionIntervalMinutes, 20)
        XCTAssertEqual(settings.timeZone.identifier, "Europe/London")
    }

    func assertConfigError(_ environment: [String: String], file json: String? = nil, key: String, sourceContains: String,
                           line: UInt = #line) async throws {
        let path = try json.map(writeConfig)
        do {
            let config = try await ConfigValues.load(filePath: path, environment: environment)
            _ = try CoreSettings.load(from: config)
            XCTFail("expected a configuration error for \(key)", line: line)
        } catch let error as ConfigurationError {
            XCTAssertEqual(error.key, key, line: line)
            XCTAssertTrue(error.source.contains(sourceContains), "\(error.source)", line: line)
        }
    }

    func testBadValuesNameTheKeyAndSource() async throws {
        let url = ["DATABASE_URL": "postgresql://u@h/db"]
        try await assertConfigError(url.merging(["STATUS_COLLECTION_INTERVAL": "soon"]) { $1 },
                                    key: "status_collection.interval", sourceContains: "STATUS_COLLECTION_INTERVAL")
        try await assertConfigError(url.merging(["STATUS_COLLECTION_INTERVAL": "7"]) { $1 },
                                    key: "status_collection.interval", sourceContains: "STATUS_COLLECTION_INTERVAL")
        try await assertConfigError(url.merging(["LOG_LEVEL": "loud"]) { $1 }, key: "log.level", sourceContains: "LOG_LEVEL")
        try await assertConfigError(url.merging(["BATCH_ENVIRONMENT": "staging"]) { $1 },
                                    key: "batch.environment", sourceContains: "BATCH_ENVIRONMENT")
        try await assertConfigError(url, file: "{\"timezone\": \"Mars/Olympus\"}", key: "timezone", sourceContains: "config file")
        try await assertConfigError(url, file: "{\"history_calculation\": {\"interval\": \"six hours\"}}",
                                    key: "history_calculation.interval", sourceContains: "config file")
        try await assertConfigError([:], key: "database.url", sourceContains: "DATABASE_URL")
        try await assertConfigError(["DATABASE_URL": "not a url"], key: "database.url", sourceContains: "DATABASE_URL")
    }

    func testSecretNeverInConfigErrors() async throws {
        let config = try await ConfigValues.load(filePath: nil, environment: ["DATABASE_URL": "hunter2-secret"])
        XCTAssertThrowsError(try CoreSettings.load(from: config)) { error in
            XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
        }
    }

    func testDatabaseNameFromEitherForm() {
        XCTAssertEqual(DatabaseURL.databaseName(in: "postgresql://app:pw@db:5432/main?sslmode=require"), "main")
        XCTAssertEqual(DatabaseURL.databaseName(in: "postgresql://app@db"), "app", "libpq's default: the user's name")
        XCTAssertEqual(DatabaseURL.databaseName(in: "host=db user=app dbname='night shift'"), "night shift")
        XCTAssertEqual(DatabaseURL.databaseName(in: "host=db user=app"), "app")
        XCTAssertNil(DatabaseURL.databaseName(in: "host=db"))
    }

    func testPasswordRedaction() {
        XCTAssertEqual(DatabaseURL.password(in: "postgresql://app:s3cr%40t@db:5432/x"), "s3cr@t")
        XCTAssertEqual(DatabaseURL.password(in: "host=db password=pw123 user=app"), "pw123")
        XCTAssertEqual(DatabaseURL.password(in: "postgresql://db/x?password=qq99"), "qq99")
        // A quoted key=value password with a space was cut at the space, and only half scrubbed.
        XCTAssertEqual(DatabaseURL.password(in: "host=db password='two words' user=app"), "two words")
        // Both forms of a percent-encoded password are secrets: the one sent, the one written.
        XCTAssertEqual(DatabaseURL.secrets(in: "postgresql://app:s%40cret%2541@db/x"), ["s@cret%41", "s%40cret%2541"])
        XCTAssertEqual(DatabaseURL.redacted("postgresql://app:s%40cret%2541@db/x"), "postgresql://app:***@db/x")
        XCTAssertEqual(DatabaseURL.pointing("postgresql://app:pw@db:5432/main?sslmode=require", at: "scratch"),
                       "postgresql://app:pw@db:5432/scratch?sslmode=require")
        XCTAssertEqual(DatabaseURL.pointing("host=db dbname=main password='a b'", at: "scratch"), "host=db password='a b' dbname=scratch")
        Secrets.shared.register("pw-ZZ-123")
        XCTAssertEqual(Secrets.shared.scrub("failed for postgresql://a:pw-ZZ-123@h"), "failed for postgresql://a:***@h")
    }

    func testNowArgument() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let expected = Date(timeIntervalSince1970: 1_795_435_200)  // 2026-11-23 21:00 +09:00
        XCTAssertEqual(TimestampArgument.parse("2026-11-23T21:00:00+09:00", timeZone: tokyo), expected)
        XCTAssertEqual(TimestampArgument.parse("2026-11-23T12:00:00Z", timeZone: tokyo), expected)
        XCTAssertEqual(TimestampArgument.parse("2026-11-23T21:00", timeZone: tokyo), expected)
        XCTAssertEqual(TimestampArgument.parse("2026-11-23 21:00", timeZone: tokyo), expected)
        XCTAssertNil(TimestampArgument.parse("tonight", timeZone: tokyo))
        XCTAssertNil(TimestampArgument.parse("2026-02-29T00:00", timeZone: tokyo), "not a leap year")
        XCTAssertNotNil(TimestampArgument.parse("2028-02-29T00:00", timeZone: tokyo))
        XCTAssertNil(TimestampArgument.parse("2026-11-31T00:00", timeZone: tokyo))
        XCTAssertFalse(CalendarDate.isValid("2026-02-30"))
        XCTAssertTrue(CalendarDate.isValid("2026-12-31"))
    }
}

final class LocalTimeTests: XCTestCase {
    func testNowArgumentAcrossDSTAndFormats() {
        let london = TimeZone(identifier: "Europe/London")!
        // 2026-03-29: 01:00 GMT → 02:00 BST. 00:30 is GMT, 03:00 is BST, 01:30 does not exist.
        XCTAssertEqual(TimestampArgument.parse("2026-03-29T00:30", timeZone: london), TimestampArgument.parse("2026-03-29T00:30Z", timeZone: london))
        XCTAssertEqual(TimestampArgument.parse("2026-03-29T03:00", timeZone: london), TimestampArgument.parse("2026-03-29T02:00:00Z", timeZone: london))
        XCTAssertEqual(TimestampArgument.parse("2026-03-29T01:30", timeZone: london), TimestampArgument.parse("2026-03-29T01:30Z", timeZone: london))
        XCTAssertEqual(TimestampArgument.parse("2026-11-23T21:00:00.250+0900", timeZone: london)?.timeIntervalSince1970, 1_795_435_200.25)
        XCTAssertEqual(TimestampArgument.parse("2026-11-23T21:00:00-03", timeZone: london)?.timeIntervalSince1970, 1_795_435_200 + 12 * 3600)
        for bad in ["2026-13-01T00:00", "2026-11-23", "2026-11-23T25:00", "2026-11-23T21:00+9", "2026-11-23T21:00 junk"] {
            XCTAssertNil(TimestampArgument.parse(bad, timeZone: london), bad)
        }
    }

    func testLocalDateAndUTCTimestamp() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let lateUTC = Date(timeIntervalSince1970: 1_795_435_200 + 11 * 3600)  // 2026-11-23 23:00Z = 24th 08:00 Tokyo
        XCTAssertEqual(LocalTime.compactDate(lateUTC, in: tokyo), "20261124")
        XCTAssertEqual(LocalTime.compactDate(lateUTC, in: TimeZone(identifier: "UTC")!), "20261123")
        XCTAssertEqual(LocalTime.utcTimestamp(Date(timeIntervalSince1970: 1_795_435_200.1239)), "2026-11-23T12:00:00.123Z")
        XCTAssertEqual(LocalTime.utcTimestamp(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59.500Z")
    }
}
