import XCTest
@testable import Backups

/// The password leaves the connection string (argv) and goes to the child's environment.
final class ClientConnectionTests: XCTestCase {
    func testURLPasswordMovesToTheEnvironment() {
        let client = ClientConnection(databaseURL: "postgresql://app:s%40cret@db.example:5433/main?sslmode=require")
        XCTAssertEqual(client.connectionString, "postgresql://app@db.example:5433/main?sslmode=require")
        XCTAssertEqual(client.environment, ["PGPASSWORD": "s@cret"])
    }

    func testAPercentInThePasswordIsDecodedOnce() {
        // %2541 is "%41" written in a URL; decoding it twice sent "A" to pg_dump instead.
        XCTAssertEqual(ClientConnection(databaseURL: "postgresql://app:p%2541ss@db/main").password, "p%41ss")
    }

    func testPasswordInTheQueryIsRemovedToo() {
        let client = ClientConnection(databaseURL: "postgres://app@h/main?password=pw&application_name=x", database: "other")
        XCTAssertEqual(client.connectionString, "postgres://app@h/other?application_name=x")
        XCTAssertEqual(client.password, "pw")
    }

    func testKeyValueFormKeepsQuotingAndSwapsTheDatabase() {
        let client = ClientConnection(databaseURL: "host=/run/pg dbname=main user='a b' password='it\\'s'", database: "scratch")
        XCTAssertEqual(client.connectionString, "host=/run/pg user='a b' dbname=scratch")
        XCTAssertEqual(client.password, "it's")
    }

    func testWithoutPasswordTheEnvironmentIsEmpty() {
        let client = ClientConnection(databaseURL: "postgresql://postgres@127.0.0.1:5432/main")
        XCTAssertEqual(client.connectionString, "postgresql://postgres@127.0.0.1:5432/main")
        XCTAssertEqual(client.environment, [:])
    }
}
