import Foundation
import Commands
import NightshiftCore
import Postgres
import XCTest

/// What bin/test started for the tests: a throwaway PostgreSQL and the fixture web server.
public enum TestEnvironment {
    public static func required(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            fatalError("\(name) is not set: run the tests through bin/test, which starts PostgreSQL and the web server")
        }
        return value
    }

    public static var adminURL: String { required("NIGHTSHIFT_TEST_ADMIN_URL") }
    public static var httpBase: String { required("NIGHTSHIFT_TEST_HTTP_URL") }
    public static var wwwRoot: String { required("NIGHTSHIFT_TEST_WWW") }

    /// Where the built executables are.
    public static var binDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_BIN"], !dir.isEmpty { return dir }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }

    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// A fresh, migrated database per test, dropped afterwards. Cloned from a template that is
/// migrated once per test process, so each test starts from exactly the schema `migrate` makes.
public final class TestDatabase {
    public let name: String
    public let url: String
    public let connection: Connection

    private static let template: String = {
        let name = "tmpl_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let admin = try! Connection(url: TestEnvironment.adminURL)
        try! admin.execute(script: "CREATE DATABASE \(name)")
        let db = try! Connection(url: TestDatabase.url(for: name))
        try! Migrator(schema: .suite).migrate(db)
        db.close()
        atexit {
            if let admin = try? Connection(url: TestEnvironment.adminURL) {
                try? admin.execute(script: "DROP DATABASE IF EXISTS \(TestDatabase.templateName) WITH (FORCE)")
            }
        }
        return name
    }()
    nonisolated(unsafe) static var templateName = ""

    /// The job's runs' statuses, oldest first.
    public func runStatuses(job: String) throws -> [String] {
        try connection.query("SELECT status FROM batch_runs WHERE job = $1 ORDER BY id", [job]).rows.map { try $0.string("status") }
    }

    /// The job's open dead-letter items: item key → error.
    public func openFailures(job: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try connection.query("SELECT item_key, error FROM batch_failures WHERE job = $1 AND resolved_at IS NULL", [job]).rows {
            result[try row.string("item_key")] = try row.string("error")
        }
        return result
    }

    public init(migrated: Bool = true) throws {
        name = "t_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try Connection(url: TestEnvironment.adminURL)
        defer { admin.close() }
        if migrated {
            Self.templateName = Self.template
            try admin.execute(script: "CREATE DATABASE \(name) TEMPLATE \(Self.template)")
        } else {
            try admin.execute(script: "CREATE DATABASE \(name)")
        }
        url = Self.url(for: name)
        connection = try Connection(url: url)
    }

    deinit {
        connection.close()
        if let admin = try? Connection(url: TestEnvironment.adminURL) {
            try? admin.execute(script: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    static func url(for database: String) -> String {
        var components = URLComponents(string: TestEnvironment.adminURL)!
        components.path = "/" + database
        return components.string!
    }
}

/// A directory of pages served by the fixture web server, private to one test.
public final class FixtureSite {
    public let directory: String
    public let baseURL: String

    public init() throws {
        let name = "t\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        directory = TestEnvironment.wwwRoot + "/" + name
        baseURL = TestEnvironment.httpBase + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes a page; `headers` become the response headers (e.g. a charset in Content-Type).
    @discardableResult
    public func put(_ path: String, _ body: [UInt8], headers: [String: String]? = nil) throws -> String {
        let file = directory + "/" + path
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(body).write(to: URL(fileURLWithPath: file))
        if let headers {
            try JSONSerialization.data(withJSONObject: headers).write(to: URL(fileURLWithPath: file + ".headers"))
        }
        return baseURL + "/" + path
    }

    @discardableResult
    public func put(_ path: String, html: String, headers: [String: String]? = nil) throws -> String {
        try put(path, Array(html.utf8), headers: headers)
    }
}

/// Runs a built executable as a separate process.
public struct ProcessResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public func runExecutable(_ name: String, _ arguments: [String], environment: [String: String],
                          wait: Bool = true) throws -> (Process, () -> ProcessResult) {
    let process = Process()
    // One of ours by name, or a system tool by its absolute path.
    process.executableURL = URL(fileURLWithPath: name.hasPrefix("/") ? name : TestEnvironment.binDirectory + "/" + name)
    process.arguments = arguments
    var env = ["PATH": "/usr/bin:/bin"]
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let finish: () -> ProcessResult = {
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                             stderr: String(decoding: e, as: UTF8.self))
    }
    return (process, finish)
}

public func runToEnd(_ name: String, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
    try runExecutable(name, arguments, environment: environment).1()
}

/// Runs an executable and SIGKILLs it as soon as `condition` holds (checked every 2 ms); fails the
/// test when the run ended before that moment came.
public func runUntilKilled(_ name: String, _ arguments: [String], environment: [String: String],
                           file: StaticString = #filePath, line: UInt = #line, when condition: () throws -> Bool) throws {
    let (process, finish) = try runExecutable(name, arguments, environment: environment)
    let deadline = Date().addingTimeInterval(120)
    var killed = false
    while process.isRunning && Date() < deadline {
        if try condition() {
            kill(process.processIdentifier, SIGKILL)
            killed = true
            break
        }
        usleep(2000)
    }
    let result = finish()
    XCTAssertTrue(killed, "the run ended before the moment to kill it came: \(result.stderr)", file: file, line: line)
    XCTAssertEqual(process.terminationReason, .uncaughtSignal, file: file, line: line)
}

public func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "nightshift-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs an executable while the test holds a lock on `table` (SHARE: others read it, nobody
/// writes it), sends `signal` once the job waits for that lock (a unit of work in progress), then
/// lets the lock go: the unit finishes, and the job should stop before it starts another.
public func runStopped(_ name: String, _ arguments: [String], environment: [String: String], signal: Int32,
                       holding table: String, mode: String = "SHARE", in db: TestDatabase,
                       file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
    try db.connection.execute(script: "BEGIN; LOCK TABLE \(table) IN \(mode) MODE")
    let (process, finish) = try runExecutable(name, arguments, environment: environment)
    let waiting = try waitUntilBlocked(process, on: table, in: db)
    if waiting {
        kill(process.processIdentifier, signal)
        usleep(200_000)
    }
    try db.connection.execute(script: "COMMIT")
    let result = finish()
    XCTAssertTrue(waiting, "\(name) never waited on \(table): \(result.stderr)", file: file, line: line)
    return result
}

/// Two starts of one job at once (a CronJob started twice, two hosts' crontabs): the first is held
/// inside its work by the test's lock on `table` while the second runs to its end; then the lock
/// goes and the first finishes. Returns both results, the first start's first.
public func runTwiceAtOnce(_ name: String, _ arguments: [String], environment: [String: String],
                           holding table: String, mode: String = "SHARE", in db: TestDatabase,
                           file: StaticString = #filePath, line: UInt = #line) throws -> (first: ProcessResult, second: ProcessResult) {
    try db.connection.execute(script: "BEGIN; LOCK TABLE \(table) IN \(mode) MODE")
    let (process, finish) = try runExecutable(name, arguments, environment: environment)
    let waiting = try waitUntilBlocked(process, on: table, in: db)
    let second = try runToEnd(name, arguments, environment: environment)
    try db.connection.execute(script: "COMMIT")
    let first = finish()
    XCTAssertTrue(waiting, "\(name) never waited on \(table): \(first.stderr)", file: file, line: line)
    return (first, second)
}

/// Whether `process` came to wait for a lock on `table` within a minute.
private func waitUntilBlocked(_ process: Process, on table: String, in db: TestDatabase) throws -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline {
        let waiting = try db.connection.query("""
            SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE NOT l.granted AND c.relname = $1 AND l.pid <> pg_backend_pid()
            """, [table]).first!.int("n")
        if waiting > 0 { return true }
        usleep(5000)
    }
    return false
}
