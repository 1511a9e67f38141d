import Commands
import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// Each module brings its own migrations and checks; together they are what one migrator applies
/// and what `nightshift check` reports.
final class SchemaAndCheckTests: XCTestCase {
    func testTheSuiteSchemaKeepsTheVersionsAndNamesInstallationsRecorded() {
        let names = Schema.suite.versions.map(\.name)
        // Recorded in schema_migrations by installations from before modules owned their tables:
        // a renamed or renumbered one would be applied twice.
        XCTAssertEqual(Array(names.prefix(5)), ["0001_run_ledger", "0002_status_collection", "0003_working_rates",
                                                "0004_billing", "0005_billing_periods"])
        XCTAssertEqual(Schema.suite.versions.map(\.version), Array(1...names.count))
        XCTAssertEqual(Set(Schema.suite.sources.map(\.module)).count, Schema.suite.sources.count)
    }

    func testAnInstallationMigratedBeforeTheSplitHasNothingPending() throws {
        let db = try TestDatabase(migrated: false)
        // What the earlier migrator left: its five files applied, recorded by version and name.
        try Migrator(migrations: Schema.suite.migrations().filter { $0.version <= 5 }).migrate(db.connection)
        let pending = try Migrator.pendingNames(db.connection, schema: .suite)
        XCTAssertEqual(pending, Schema.suite.versions.filter { $0.version > 5 }.map(\.name))
        try Migrator(schema: .suite).migrate(db.connection)
        XCTAssertEqual(try Migrator.pendingNames(db.connection, schema: .suite), [])
    }

    func testAModuleCheckReportsItsOwnTables() throws {
        let db = try TestDatabase()
        try db.connection.execute(script: """
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES
              (7, 'Unknown', 'no-such-site', 'https://example.invalid/x', '18:00', '02:00')
            """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = try runToEnd("nightshift", ["check"], environment: ["DATABASE_URL": db.url, "LOG_DIR": dir])
        XCTAssertEqual(check.status, 2, check.stdout)
        XCTAssertTrue(check.stdout.contains("FAIL  businesses: business 7: unknown site no-such-site"), check.stdout)
        XCTAssertTrue(check.stdout.contains("ok    site definitions: "), check.stdout)
    }

    func testWithoutADatabaseTheChecksThatNeedNoneStillRun() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = try runToEnd("nightshift", ["check"], environment: [
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "LOG_DIR": dir])
        XCTAssertEqual(check.status, 2, check.stdout)
        XCTAssertTrue(check.stdout.contains("FAIL  database: "), check.stdout)
        XCTAssertTrue(check.stdout.contains("ok    site definitions: "), check.stdout)
        XCTAssertFalse(check.stdout.contains("businesses"), check.stdout)
    }
}
