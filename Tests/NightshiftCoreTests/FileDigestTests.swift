import Foundation
import NightshiftCore
import TestSupport
import XCTest

final class FileDigestTests: XCTestCase {
    func testDigestsOfFilesAndOfADirectoryAreWhatSha256sumSays() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data().write(to: URL(fileURLWithPath: root + "/empty"))
        try Data("abc".utf8).write(to: URL(fileURLWithPath: root + "/abc"))
        // FIPS 180-2's examples.
        XCTAssertEqual(try FileDigest.sha256(ofFile: root + "/empty"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try FileDigest.sha256(ofFile: root + "/abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let listing = try ChildProcess.run("/bin/sh", ["-c", "cd '\(root)' && sha256sum * | sha256sum"], stdout: .capture(limit: 1 << 10))
        XCTAssertEqual(try FileDigest.sha256(of: root), String(decoding: listing.stdout.prefix(64), as: UTF8.self))
        XCTAssertThrowsError(try FileDigest.sha256(ofFile: root + "/missing"))
    }
}
