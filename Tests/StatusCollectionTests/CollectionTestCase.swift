import Commands
import Foundation
import NightshiftCore
import Postgres
import StatusCollection
import TestSupport
import XCTest

/// A database, a fixture site and helpers to add businesses and run `status-collect`.
class CollectionTestCase: XCTestCase {
    var db: TestDatabase!
    var site: FixtureSite!
    var logDirectory: String!

    override func setUpWithError() throws {
        db = try TestDatabase()
        site = try FixtureSite()
        logDirectory = try temporaryDirectory()
    }

    override func tearDown() {
        db = nil
        site = nil
    }

    var environment: [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": logDirectory, "STATUS_COLLECTION_PER_HOST_DELAY_MS": "0",
         "STATUS_COLLECTION_TIMEOUT_MS": "1500", "STATUS_COLLECTION_RETRY_BASE_DELAY_MS": "10",
         "STATUS_COLLECTION_RETRY_MAX_DELAY_MS": "50", "STATUS_COLLECTION_RETRY_MAX_ATTEMPTS": "2"]
    }

    @discardableResult
    func addBusiness(_ name: String, site siteName: String, url: String, open: String = "18:00", close: String = "05:00",
                     zone: String = "Asia/Tokyo") throws -> Int {
        try db.connection.query("""
            INSERT INTO business (name, site, listing_url, time_zone, open_time, close_time)
            VALUES ($1, $2, $3, $4, $5::time, $6::time) RETURNING id
            """, [name, siteName, url, zone, open, close]).first!.int("id")
    }

    /// `status-collect` in-process, its arguments parsed as the executable parses them.
    func collect(now: String, force: Bool = false, ids: [Int] = [], extra: [String: String] = [:]) async throws -> ExitStatus {
        let argv = ["--now", now, "--quiet"] + (force ? ["--force"] : []) + ids.flatMap { ["--business-id", "\($0)"] }
        return try await StatusCollectCommand.parse(argv).execute(arguments: argv, environment: environment.merging(extra) { $1 })
    }

    func count(_ sql: String, _ parameters: [PostgresEncodable?] = []) throws -> Int {
        try db.connection.query(sql, parameters).first!.int("n")
    }

    /// `[site_cast_id: status]` stored for a business in a slot.
    func statuses(business: Int, slot: String) throws -> [String: String] {
        let rows = try db.connection.query("""
            SELECT c.site_cast_id, s.status FROM status s JOIN "cast" c ON c.id = s.cast_id
             WHERE s.business_id = $1 AND s.slot = $2::timestamptz
            """, [business, slot]).rows
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("site_cast_id"), try $0.string("status")) })
    }
}
