import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// What a person sees when the configuration is wrong: every problem at once, a JSON syntax
/// error by line and column, a misspelt key with the key it probably meant.
final class ConfigReportingTests: DatabaseTestCase {
    var dir: String { root }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEveryBadSettingIsReportedAtOnceOneLineEach() throws {
        let result = try runToEnd("status-collect", [], environment: [
            "DATABASE_URL": db.url, "LOG_DIR": dir + "/logs", "STATUS_COLLECTION_CONCURRENCY": "0",
            "STATUS_COLLECTION_BUFFER_MINUTES": "lots", "LOG_LEVEL": "chatty"])
        XCTAssertEqual(result.status, 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stderr)
        for key in ["status_collection.concurrency", "status_collection.buffer_minutes", "log.level"] {
            XCTAssertEqual(lines.filter { $0.contains(key) }.count, 1, "\(key) in \(result.stderr)")
        }
    }

    func testAMalformedConfigFileSaysWhereAndWhat() throws {
        let file = try write("broken.json", "{\n  \"log\": {\"dir\": \"/tmp\"},\n  \"backup\": {\"retention_days\": thirty}\n}\n")
        let result = try runToEnd("backup", ["--config", file], environment: ["DATABASE_URL": db.url])
        XCTAssertEqual(result.status, 78)
        XCTAssertFalse(result.stderr.contains("NSCocoaErrorDomain") || result.stderr.contains("UserInfo"), result.stderr)
        XCTAssertEqual(result.stderr, "backup: configuration error: --config (\(file)): expected valid JSON: line 3, column 33: invalid value\n")
    }

    func testAMisspeltKeyIsNamedWithTheKeyItProbablyMeant() throws {
        let file = try write("typo.json", #"{"backup": {"retention_dayz": 10}, "log": {"dir": "\#(dir)/logs"}, "retention_days": 3}"#)
        let check = try runToEnd("nightshift", ["check", "--config", file], environment: ["DATABASE_URL": db.url])
        XCTAssertEqual(check.status, 2, check.stdout)
        XCTAssertTrue(check.stdout.contains("FAIL  config keys: backup.retention_dayz is not a setting (did you mean backup.retention_days?)"),
                      check.stdout)
        XCTAssertTrue(check.stdout.contains("retention_days is not a setting (did you mean backup.copy_retention_days?)")
                      || check.stdout.contains("retention_days is not a setting (did you mean backup.retention_days?)"), check.stdout)

        // The job that reads the file runs, and warns once per run in its log.
        let run = try runToEnd("usage-aggregate", ["--config", file, "--now", "2026-11-02T04:00"], environment: ["DATABASE_URL": db.url])
        XCTAssertEqual(run.status, 0, run.stderr)
        let log = try String(contentsOfFile: dir + "/logs/batch_processing.log", encoding: .utf8)
        let warnings = log.split(separator: "\n").filter { $0.contains("unknown configuration key ignored") }
        XCTAssertEqual(warnings.count, 2, log)
        XCTAssertTrue(warnings.contains { $0.contains("\"did_you_mean\":\"backup.retention_days\"") }, log)
    }

    func testCheckExitsZeroOrTwoEvenForConfigurationErrors() throws {
        let result = try runToEnd("nightshift", ["check"], environment: ["DATABASE_URL": db.url, "LOG_KEEP": "many"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stdout.hasPrefix("FAIL  config: nightshift: configuration error: log.keep"), result.stdout)
    }

    func testTheKnownKeysAreTheDocumentedConfigurationTable() async throws {
        let readme = try String(contentsOfFile: TestEnvironment.packageRoot + "/docs/operations.md", encoding: .utf8)
        guard let start = readme.range(of: "| key | environment | default | meaning |") else { return XCTFail("no table") }
        var documented = Set<String>()
        for line in readme[start.upperBound...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("|") else { break }
            let first = line.split(separator: "|").first.map(String.init) ?? ""
            var section = ""
            for part in first.split(separator: ",") {
                guard let key = part.split(separator: "`").dropFirst().first.map(String.init) else { continue }
                if key.hasPrefix(".") { documented.insert(section + key); continue }
                section = key.split(separator: ".").dropLast().joined(separator: ".")
                documented.insert(key)
            }
        }
        let retry = documented.filter { $0.hasSuffix(".retry.*") }
        let expanded = documented.subtracting(retry).union(retry.flatMap { block in
            ["strategy", "max_attempts", "base_delay_ms", "max_delay_ms", "jitter"].map { block.dropLast(2) + "." + $0 }
        })
        XCTAssertEqual(expanded, ConfigKeys.all, "docs/operations.md vs code: \(expanded.symmetricDifference(ConfigKeys.all).sorted())")
        // And the example file uses only known keys.
        let example = try await ConfigValues.load(filePath: TestEnvironment.packageRoot + "/config.example.json", environment: [:])
        XCTAssertEqual(example.unknownFileKeys.map(\.key), [])
    }

    func testCheckWritesNoDebugLineIntoALogKeptAtInfo() throws {
        let check = try runToEnd("nightshift", ["check"], environment: ["DATABASE_URL": db.url, "LOG_DIR": dir + "/logs"])
        XCTAssertTrue(check.stdout.contains("ok    log directory"), check.stdout)
        let log = (try? String(contentsOfFile: dir + "/logs/batch_processing.log", encoding: .utf8)) ?? ""
        XCTAssertFalse(log.contains("\"level\":\"debug\""), log)
        let debug = try runToEnd("nightshift", ["check"], environment: ["DATABASE_URL": db.url, "LOG_DIR": dir + "/logs", "LOG_LEVEL": "debug"])
        XCTAssertEqual(debug.status, check.status)
        XCTAssertTrue(try String(contentsOfFile: dir + "/logs/batch_processing.log", encoding: .utf8).contains("check: log directory writable"))
    }
}
