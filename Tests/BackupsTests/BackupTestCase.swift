import Backups
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// A migrated test database with a data table, a backup directory of its own, and the real
/// `backup` executable run as a process against them.
class BackupTestCase: XCTestCase {
    var db: TestDatabase!
    var root: String!
    var backupDirectory: String { root + "/backups" }
    var logDirectory: String { root + "/logs" }
    /// Consecutive `--now` values, one minute apart, so back-to-back backups get distinct names.
    var minute = 0

    override func setUpWithError() throws {
        db = try TestDatabase()
        root = try temporaryDirectory()
        try db.connection.execute(script: """
            CREATE TABLE sample (id bigint PRIMARY KEY, label text NOT NULL, amount_yen bigint NOT NULL);
            INSERT INTO sample SELECT g, 'row ' || g, g * 100 FROM generate_series(1, 500) g;
            CREATE SCHEMA "odd schema";
            CREATE TABLE "odd schema"."Mixed Case" (x int);
            INSERT INTO "odd schema"."Mixed Case" VALUES (1), (2), (3);
            ANALYZE;
            """)
    }

    override func tearDownWithError() throws {
        db = nil
        if let root { try? FileManager.default.removeItem(atPath: root) }
    }

    var environment: [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": logDirectory, "BACKUP_DIR": backupDirectory]
    }

    func nextNow() -> String {
        minute += 1
        return String(format: "2026-11-23T01:%02d:00Z", minute)
    }

    /// `backup` with a fresh `--now` unless the arguments carry one or name a subcommand.
    @discardableResult
    func backup(_ arguments: [String] = [], _ extra: [String: String] = [:]) throws -> ProcessResult {
        var env = environment
        for (key, value) in extra { env[key] = value }
        let subcommands = ["list", "verify", "restore"]
        let args = arguments.contains("--now") || arguments.first.map(subcommands.contains) == true
            ? arguments : arguments + ["--now", nextNow()]
        return try runToEnd("backup", args, environment: env)
    }

    var catalog: BackupCatalog { try! BackupCatalog.scan(backupDirectory) }

    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: backupDirectory)) ?? []).sorted()
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    func lastRun() throws -> Row {
        try db.connection.query("SELECT * FROM batch_runs WHERE job = 'backup' ORDER BY id DESC LIMIT 1").first!
    }

    /// A fingerprint of a database's data, to compare a restore with its source.
    func fingerprint(_ url: String) throws -> String {
        let connection = try Connection(url: url)
        defer { connection.close() }
        return try connection.query("""
            SELECT (SELECT count(*) || ':' || md5(string_agg(id || label || amount_yen, ',' ORDER BY id)) FROM sample)
                   || '/' || (SELECT string_agg(x::text, ',' ORDER BY x) FROM "odd schema"."Mixed Case") AS f
            """).first!.string("f")
    }

    func url(of database: String) -> String {
        var components = URLComponents(string: db.url)!
        components.path = "/" + database
        return components.string!
    }

    func dropDatabase(_ name: String) {
        if let admin = try? Connection(url: TestEnvironment.adminURL) {
            try? admin.execute(script: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
            admin.close()
        }
    }

    /// Holds an exclusive lock on `sample` so a pg_dump started now waits; returns the session.
    func lockSample() throws -> Connection {
        let blocker = try Connection(url: db.url)
        try blocker.execute(script: "BEGIN; LOCK TABLE sample IN ACCESS EXCLUSIVE MODE")
        return blocker
    }

    /// Waits until pg_dump's session is waiting on a lock in our database; returns its pid.
    func waitForBlockedDump(timeout: TimeInterval = 20) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let row = try db.connection.query("""
                SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'pg_dump' AND wait_event_type = 'Lock'
                """).first {
                return try row.int("pid")
            }
            usleep(50_000)
        }
        XCTFail("pg_dump never blocked on the lock")
        return 0
    }

    /// pids of pg_dump processes working on this test's database (from /proc).
    func dumpProcesses() -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.filter { pid in
            guard pid.allSatisfy(\.isNumber),
                  let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first?.hasSuffix("pg_dump") == true && arguments.contains { $0.contains("/\(db.name)") }
        }
    }
}
