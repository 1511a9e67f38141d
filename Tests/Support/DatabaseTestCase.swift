import Foundation
import XCTest

/// A test with a fresh migrated database and a scratch directory (logs, output) of its own, both
/// gone afterwards.
open class DatabaseTestCase: XCTestCase {
    public var db: TestDatabase!
    public var root: String!

    open override func setUpWithError() throws {
        try super.setUpWithError()
        db = try TestDatabase()
        root = try temporaryDirectory()
    }

    open override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(atPath: root)
        try super.tearDownWithError()
    }
}
