import Foundation
import OperatorTools
import TestSupport
import XCTest

final class CrontabTests: XCTestCase {
    func testEveryActiveLineOfTheSuitesCrontabIsValidAndNamesABuiltExecutable() throws {
        let text = try String(contentsOfFile: TestEnvironment.packageRoot + "/crontab", encoding: .utf8)
        let entries = try Crontab(text: text).entries()
        XCTAssertFalse(entries.isEmpty)
        for entry in entries {
            XCTAssertTrue(entry.command.hasPrefix("$NIGHTSHIFT_BIN/"), entry.command)
            let path = TestEnvironment.binDirectory + "/" + entry.executable
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), "\(entry.executable) is not a built executable")
        }
        XCTAssertEqual(entries.first { $0.executable == "status-collect" }?.schedule, ["*/30", "*", "*", "*", "*"])
        XCTAssertEqual(entries.first { $0.executable == "rate-calc" }?.schedule, ["15", "*/6", "*", "*", "*"])
        XCTAssertEqual(entries.first { $0.executable == "backup" }?.schedule, ["0", "1", "*", "*", "*"])
        XCTAssertEqual(entries.first { $0.executable == "usage-aggregate" }?.schedule, ["0", "3", "*", "*", "*"])
        XCTAssertEqual(entries.filter { $0.executable == "invoice" }.map(\.schedule),
                       [["0", "6", "1", "*", "*"], ["40", "*", "*", "*", "*"]])
        XCTAssertEqual(entries.filter { $0.executable == "invoice" }.map(\.command),
                       ["$NIGHTSHIFT_BIN/invoice --send", "$NIGHTSHIFT_BIN/invoice send"])
        XCTAssertEqual(entries.filter { $0.executable == "monthly-report" }.map(\.schedule), [["0", "7", "2", "*", "*"]])
        XCTAssertEqual(entries.filter { $0.executable == "monthly-report" }.map(\.command), ["$NIGHTSHIFT_BIN/monthly-report --send"])
        XCTAssertEqual(entries.filter { $0.executable == "maintenance" }.map(\.schedule), [["0", "4", "*", "*", "0"], ["0", "5", "*", "*", "1"]])
        XCTAssertEqual(entries.filter { $0.executable == "maintenance" }.map(\.command),
                       ["$NIGHTSHIFT_BIN/maintenance", "$NIGHTSHIFT_BIN/maintenance analyze"])
    }

    func testFieldValidation() throws {
        let valid = ["*/30 * * * * a", "0 1 * * * a", "0 6 1 * * a", "0 4 * * 0 a", "0,30 9-17 * jan-mar mon-fri a",
                     "5 */6 1-15/2 12 7 a"]
        for line in valid { XCTAssertNoThrow(try Crontab(text: line).entries(), line) }
        let invalid = ["60 * * * * a", "* 24 * * * a", "* * 0 * * a", "* * * 13 * a", "* * * * 8 a", "*/0 * * * * a",
                       "5-1 * * * * a", "* * * * a", "x * * * * a"]
        for line in invalid { XCTAssertThrowsError(try Crontab(text: line).entries(), line) }
        XCTAssertEqual(try Crontab(text: "# c\nA=b\n\n*/5 * * * * /x/y --z").entries(),
                       [Crontab.Entry(schedule: ["*/5", "*", "*", "*", "*"], command: "/x/y --z")])
    }

    func testRenderingFillsInThisInstallsPaths() {
        let text = "SHELL=/bin/sh\nNIGHTSHIFT_HOME=/opt/nightshift\nNIGHTSHIFT_BIN=/opt/x\nNIGHTSHIFT_CONFIG=/c\nLOG_DIR=/l\n*/30 * * * *\t$NIGHTSHIFT_BIN/status-collect"
        let out = Crontab(text: text).rendered(home: "/srv/ns", binDirectory: "/srv/ns/bin", configPath: "/etc/ns.json",
                                               logDirectory: "/var/log/ns")
        XCTAssertEqual(out, "SHELL=/bin/sh\nNIGHTSHIFT_HOME=/srv/ns\nNIGHTSHIFT_BIN=/srv/ns/bin\nNIGHTSHIFT_CONFIG=/etc/ns.json\nLOG_DIR=/var/log/ns\n*/30 * * * *\t$NIGHTSHIFT_BIN/status-collect")
        let fromFile = Crontab(text: text).rendered(home: "/srv/ns", binDirectory: "/srv/ns/bin", configPath: "/etc/ns.json", logDirectory: nil)
        XCTAssertTrue(fromFile.contains("\n# LOG_DIR: log.dir of /etc/ns.json applies\n"), fromFile)
    }

    /// `nightshift crontab` as an operator runs it: the log directory and config file in effect.
    func testTheCrontabFollowsTheConfigurationInEffect() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/ns.json"
        try #"{"log": {"dir": "/var/log/nightshift-test"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        func lines(_ result: ProcessResult, _ prefix: String) -> [String] {
            result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
        }

        let file = try runToEnd("nightshift", ["crontab", "--config", config], environment: [:])
        XCTAssertEqual(file.status, 0, file.stderr)
        XCTAssertEqual(file.stderr, "")
        XCTAssertEqual(lines(file, "NIGHTSHIFT_CONFIG="), ["NIGHTSHIFT_CONFIG=\(config)"])
        XCTAssertEqual(lines(file, "LOG_DIR="), [], "the file's log.dir is not overridden")
        XCTAssertEqual(lines(file, "# LOG_DIR"), ["# LOG_DIR: log.dir of \(config) applies"])

        let viaEnvironment = try runToEnd("nightshift", ["crontab"], environment: ["NIGHTSHIFT_CONFIG": config, "LOG_DIR": "/srv/logs"])
        XCTAssertEqual(lines(viaEnvironment, "NIGHTSHIFT_CONFIG="), ["NIGHTSHIFT_CONFIG=\(config)"])
        XCTAssertEqual(lines(viaEnvironment, "LOG_DIR="), ["LOG_DIR=/srv/logs"])

        let missing = try runToEnd("nightshift", ["crontab", "--config", dir + "/absent.json"], environment: [:])
        XCTAssertEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("warning: config file \(dir)/absent.json does not exist"), missing.stderr)
        XCTAssertEqual(lines(missing, "LOG_DIR="), ["LOG_DIR=\(TestEnvironment.packageRoot)/logs"])
    }
}
