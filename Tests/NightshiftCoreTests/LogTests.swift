import Foundation
import NightshiftCore
import TestSupport
import XCTest

final class LogTests: XCTestCase {
    func testLineShapeAndErrorsFile() throws {
        let dir = try temporaryDirectory()
        let files = LogFiles(directory: dir, level: .info, timeZone: TimeZone(identifier: "Asia/Tokyo")!,
                             console: Console(mode: .quiet), clock: FixedClock(Date(timeIntervalSince1970: 1_795_435_200)))
        var logger = files.logger(job: "demo-job")
        logger[metadataKey: JSONLinesLogHandler.runIDKey] = .int64(9)
        logger.debug("hidden below the level")
        logger.info("hello \"world\"", metadata: ["n": .int(3)])
        logger.error("bad thing", error: NSError(domain: "x", code: 1))
        files.jobEvent(job: "demo-job", runID: 9, "run finished", ["status": "succeeded"], durationMS: 42)
        let all = try String(contentsOfFile: dir + "/batch_processing.log", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(all.count, 3)
        let first = try JSONSerialization.jsonObject(with: Data(all[0].utf8)) as! [String: Any]
        XCTAssertEqual(first["job"] as? String, "demo-job")
        XCTAssertEqual(first["run_id"] as? Int, 9)
        XCTAssertEqual(first["message"] as? String, "hello \"world\"")
        XCTAssertEqual((first["metadata"] as? [String: Any])?["n"] as? Int, 3)
        XCTAssertEqual(first["timestamp"] as? String, "2026-11-23T21:00:00.000+09:00", "local time with the offset")
        XCTAssertTrue(first.keys.contains("duration_ms") && first.keys.contains("error"))
        let errors = try String(contentsOfFile: dir + "/batch_errors.log", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(errors.count, 1)
        // The daily jobs file is named by the local date (21:00 in Tokyo is still the 23rd).
        let jobs = try String(contentsOfFile: dir + "/jobs_20261123.log", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(jobs[0].utf8)) as! [String: Any])["duration_ms"] as? Int, 42)
    }

    /// A library logging with swift-log (any `Logger(label:)`) lands in the run's files; a dry run's
    /// errors are warnings, kept out of the errors file.
    func testLibrariesLogIntoTheRunsFilesAndADryRunsErrorsAreWarnings() throws {
        let dir = try temporaryDirectory()
        let files = LogFiles(directory: dir, level: .info, timeZone: .current, console: Console(mode: .quiet))
        files.routeLibraries(job: "demo-job")
        Logger(label: "some.library").warning("pool exhausted", metadata: ["size": .int(4)])
        var rehearsal = files.logger(job: "demo-job")
        rehearsal.markRehearsal()
        rehearsal.error("would fail")
        let lines = try String(contentsOfFile: dir + "/batch_processing.log", encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(lines.map { $0["job"] as? String }, ["demo-job", "demo-job"])
        XCTAssertEqual(lines.map { $0["level"] as? String }, ["warning", "warning"])
        XCTAssertEqual((lines[0]["metadata"] as? [String: Any])?["logger"] as? String, "some.library")
        XCTAssertEqual((lines[0]["metadata"] as? [String: Any])?["size"] as? Int, 4)
        XCTAssertEqual((lines[1]["metadata"] as? [String: Any])?["dry_run"] as? Bool, true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/batch_errors.log"))
    }

    func testSecretsAreScrubbedFromLogLines() throws {
        let dir = try temporaryDirectory()
        Secrets.shared.register("pa55-word-xyz")
        let logger = LogFiles(directory: dir, level: .debug, timeZone: .current, console: Console(mode: .quiet)).logger(job: "j")
        logger.error("connect to postgresql://u:pa55-word-xyz@h failed", metadata: ["url": "postgresql://u:pa55-word-xyz@h"])
        let text = try String(contentsOfFile: dir + "/batch_processing.log", encoding: .utf8)
        XCTAssertFalse(text.contains("pa55-word-xyz"))
        XCTAssertTrue(text.contains("u:***@h"))
    }

    /// Four processes write 600 lines of ~300 bytes each while the file rotates every 100 KB:
    /// every line must arrive exactly once, whole, and no file may exceed the cap.
    func testConcurrentProcessesNeverLoseOrTearLines() throws {
        let dir = try temporaryDirectory()
        let env = ["DATABASE_URL": "postgresql://unused@127.0.0.1/x", "LOG_DIR": dir, "LOG_MAX_BYTES": "100000", "LOG_KEEP": "30"]
        let processes = try (0..<4).map { index in
            try runExecutable("nightshift", ["log-probe", "--count", "600", "--tag", "p\(index)", "--padding", "150"],
                              environment: env)
        }
        for (_, finish) in processes { XCTAssertEqual(finish().status, 0) }
        var seen = Set<String>()
        var lines = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasPrefix("batch_processing.log") {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            XCTAssertLessThanOrEqual(data.count, 100_000, file)
            for line in data.split(separator: UInt8(ascii: "\n")) {
                lines += 1
                let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
                let metadata = object["metadata"] as! [String: Any]
                seen.insert("\(metadata["tag"]!)-\(metadata["seq"]!)")
            }
        }
        XCTAssertEqual(lines, 2400)
        XCTAssertEqual(seen.count, 2400)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/batch_processing.log.1"), "rotation happened")
    }

    func testRotationKeepsOnlyTheConfiguredNumberOfFiles() throws {
        let dir = try temporaryDirectory()
        let file = LogFile(path: dir + "/r.log", maxBytes: 4096, keep: 2)
        for n in 0..<200 { try file.append("line \(n) " + String(repeating: "y", count: 100)) }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("r.log") }.sorted()
        XCTAssertEqual(names, ["r.log", "r.log.1", "r.log.2"])
        let newest = try String(contentsOfFile: dir + "/r.log", encoding: .utf8)
        XCTAssertTrue(newest.hasSuffix("line 199 " + String(repeating: "y", count: 100) + "\n"))
    }
}
