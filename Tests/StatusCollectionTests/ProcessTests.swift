import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// `status-collect` as cron runs it: a separate process, judged by exit code and output.
final class ProcessTests: CollectionTestCase {
    let slot = "2026-11-23T21:00:00+09:00"

    func waitUntil(_ what: String, timeout: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what)")
    }

    func testQuietOnSuccessAndShortSummaryOnFailure() throws {
        let url = try site.put("q.html", html: Pages.dto([.init("1", "a", "待機中")]))
        try addBusiness("q", site: "dto", url: url)
        let ok = try runToEnd("status-collect", ["--now", slot], environment: environment)
        XCTAssertEqual(ok.status, 0)
        XCTAssertEqual(ok.stdout, "")
        XCTAssertEqual(ok.stderr, "")

        try addBusiness("gone", site: "dto", url: site.baseURL + "/gone.html")
        let partial = try runToEnd("status-collect", ["--now", "2026-11-23T21:30:00+09:00"], environment: environment)
        XCTAssertEqual(partial.status, 1)
        XCTAssertEqual(partial.stdout, "")
        XCTAssertTrue(partial.stderr.contains("partial") && partial.stderr.contains("HTTP 404"), partial.stderr)
        XCTAssertLessThan(partial.stderr.split(separator: "\n").count, 10)

        let verbose = try runToEnd("status-collect", ["--now", "2026-11-23T22:00:00+09:00", "--verbose", "--business-id", "1"],
                              environment: environment)
        XCTAssertEqual(verbose.status, 0)
        XCTAssertTrue(verbose.stderr.contains("collecting"), verbose.stderr)
    }

    func testDryRunPrintsAndWritesNothing() throws {
        let url = try site.put("d.html", html: Pages.cityheaven([.init("7", "なな", "接客中")]))
        try addBusiness("d", site: "cityheaven", url: url)
        let result = try runToEnd("status-collect", ["--dry-run", "--now", slot], environment: environment)
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("7\tなな\tbusy\t接客中"), result.stdout)
        for table in ["status", "status_collection", "\"cast\"", "batch_runs", "batch_failures"] {
            XCTAssertEqual(try count("SELECT count(*) AS n FROM \(table)"), 0, table)
        }
    }

    func testExitCodesForBadConfigAndUnreachableDatabase() throws {
        var env = environment
        env["STATUS_COLLECTION_BUFFER_MINUTES"] = "lots"
        let bad = try runToEnd("status-collect", [], environment: env)
        XCTAssertEqual(bad.status, 78)
        XCTAssertTrue(bad.stderr.contains("status_collection.buffer_minutes") && bad.stderr.contains("STATUS_COLLECTION_BUFFER_MINUTES"),
                      bad.stderr)

        env = environment
        env["DATABASE_URL"] = "postgresql://app:TopSecret99@127.0.0.1:1/nightshift"
        env["DATABASE_RETRY_MAX_ATTEMPTS"] = "2"
        env["DATABASE_RETRY_BASE_DELAY_MS"] = "10"
        let down = try runToEnd("status-collect", [], environment: env)
        XCTAssertEqual(down.status, 75)
        XCTAssertTrue(down.stderr.contains("unreachable"), down.stderr)
        XCTAssertFalse(down.stderr.contains("TopSecret99"))
        let logs = try String(contentsOfFile: logDirectory + "/batch_processing.log", encoding: .utf8)
        XCTAssertFalse(logs.contains("TopSecret99"))

        // Bad credentials are permanent: one attempt, a configuration error, the password nowhere.
        var wrong = URLComponents(string: TestEnvironment.adminURL)!
        wrong.user = "nightshift_pw"
        wrong.password = "Wrong-Pass-77"
        env = environment
        env["DATABASE_URL"] = wrong.string!
        env["DATABASE_RETRY_MAX_ATTEMPTS"] = "5"
        env["DATABASE_RETRY_BASE_DELAY_MS"] = "2000"
        let rejected = try runToEnd("status-collect", [], environment: env)
        XCTAssertEqual(rejected.status, 78)
        let log = try String(contentsOfFile: logDirectory + "/batch_processing.log", encoding: .utf8)
        XCTAssertTrue(log.contains("\"attempts\":1"), "one attempt only: \(log)")
        XCTAssertFalse(log.contains("Wrong-Pass-77"))
        XCTAssertTrue(rejected.stderr.contains("rejected the credentials"), rejected.stderr)
        XCTAssertFalse(rejected.stderr.contains("Wrong-Pass-77"))

        let usage = try runToEnd("status-collect", ["--no-such-flag"], environment: environment)
        XCTAssertEqual(usage.status, 64)
    }

    func testASecondRunWhileOneIsRunningIsSkipped() throws {
        try site.put("slow.html", html: Pages.dto([.init("1", "a", "待機中")]))
        try addBusiness("slow", site: "dto", url: TestEnvironment.httpBase + "/_slow/" + URL(string: site.baseURL)!.lastPathComponent + "/slow.html?seconds=2")
        var env = environment
        env["STATUS_COLLECTION_TIMEOUT_MS"] = "10000"
        let (_, firstDone) = try runExecutable("status-collect", ["--now", slot], environment: env)
        try waitUntil("the first run to start") { try count("SELECT count(*) AS n FROM batch_runs WHERE status = 'running'") == 1 }
        let second = try runToEnd("status-collect", ["--now", slot], environment: env)
        XCTAssertEqual(second.status, 0)
        XCTAssertEqual(second.stderr, "")
        let first = firstDone()
        XCTAssertEqual(first.status, 0, first.stderr)
        let statuses = try db.connection.query("SELECT status FROM batch_runs ORDER BY id").rows.map { try $0.string("status") }
        XCTAssertEqual(statuses, ["succeeded", "skipped"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 1)
    }

    func testKilledRunIsAbandonedAndTheRerunFinishesTheSlotWithoutDuplicates() throws {
        let dir = URL(string: site.baseURL)!.lastPathComponent
        for n in 1...3 { try site.put("k\(n).html", html: Pages.dto([.init("\(n)0", "a", "待機中"), .init("\(n)1", "b", "接客中")])) }
        let fast1 = try addBusiness("fast1", site: "dto", url: site.baseURL + "/k1.html")
        let slow = try addBusiness("slow", site: "dto", url: TestEnvironment.httpBase + "/_slow/\(dir)/k2.html?seconds=1.5")
        let fast2 = try addBusiness("fast2", site: "dto", url: site.baseURL + "/k3.html")
        var env = environment
        env["STATUS_COLLECTION_CONCURRENCY"] = "1"
        env["STATUS_COLLECTION_TIMEOUT_MS"] = "10000"

        let (process, done) = try runExecutable("status-collect", ["--now", slot], environment: env)
        try waitUntil("the first business to be stored") { try count("SELECT count(*) AS n FROM status_collection") == 1 }
        kill(process.processIdentifier, SIGKILL)
        _ = done()
        XCTAssertEqual(try count("SELECT count(*) AS n FROM batch_runs WHERE status = 'running'"), 1)

        let rerun = try runToEnd("status-collect", ["--now", "2026-11-23T21:10:00+09:00"], environment: env)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let runs = try db.connection.query("SELECT status, items_ok FROM batch_runs ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["abandoned", "succeeded"])
        XCTAssertEqual(try runs[1].int("items_ok"), 2, "only the two businesses not yet collected")
        for id in [fast1, slow, fast2] { XCTAssertEqual(try statuses(business: id, slot: slot).count, 2) }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 6)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 3)
    }

    func testALostDatabaseConnectionMidRunIsReconnectedAndNoBusinessMissesItsSlot() throws {
        let dir = URL(string: site.baseURL)!.lastPathComponent
        var ids: [Int] = []
        for n in 1...6 {
            try site.put("r\(n).html", html: Pages.dto([.init("\(n)", "a", "待機中")]))
            ids.append(try addBusiness("r\(n)", site: "dto", url: TestEnvironment.httpBase + "/_slow/\(dir)/r\(n).html?seconds=0.4"))
        }
        var env = environment
        env["STATUS_COLLECTION_CONCURRENCY"] = "1"
        env["STATUS_COLLECTION_TIMEOUT_MS"] = "10000"
        env["DATABASE_RETRY_BASE_DELAY_MS"] = "100"
        let (_, done) = try runExecutable("status-collect", ["--now", slot], environment: env)
        try waitUntil("the first business to be stored") { try count("SELECT count(*) AS n FROM status_collection") >= 1 }
        // What a server restart does to the session: it is terminated under the running job.
        let admin = try Connection(url: TestEnvironment.adminURL)
        defer { admin.close() }
        let terminated = try admin.query("""
            SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'status-collect') t
            """, [db.name]).first!.int("n")
        XCTAssertEqual(terminated, 1)
        let result = done()
        XCTAssertEqual(result.status, 0, result.stderr)
        for id in ids { XCTAssertEqual(try statuses(business: id, slot: slot).count, 1, "business \(id)") }
        XCTAssertEqual(try db.connection.query("SELECT status, items_ok FROM batch_runs").rows.map { try $0.string("status") + " " + $0.string("items_ok") },
                       ["succeeded 6"])
        let log = try String(contentsOfFile: logDirectory + "/batch_processing.log", encoding: .utf8)
        XCTAssertTrue(log.contains("reconnected to the database"), log)
    }

    func testAMissingDatabaseAnUnmigratedSchemaAndAnUnwritableLogDirAreConfigurationErrors() throws {
        var env = environment
        var url = URLComponents(string: db.url)!
        url.path = "/no_such_database_here"
        env["DATABASE_URL"] = url.string!
        env["DATABASE_RETRY_BASE_DELAY_MS"] = "3000"  // four attempts would take ~10 s: one must do
        let started = Date()
        let missing = try runToEnd("status-collect", ["--now", slot], environment: env)
        XCTAssertEqual(missing.status, 78, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("database.url") && missing.stderr.contains("does not exist"), missing.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "no retries")

        let bare = try TestDatabase(migrated: false)
        env = environment
        env["DATABASE_URL"] = bare.url
        let unmigrated = try runToEnd("status-collect", ["--now", slot], environment: env)
        XCTAssertEqual(unmigrated.status, 78, unmigrated.stderr)
        XCTAssertTrue(unmigrated.stderr.contains("run `nightshift migrate`"), unmigrated.stderr)
        XCTAssertEqual(unmigrated.stderr.split(separator: "\n").count, 1, unmigrated.stderr)

        env = environment
        let file = logDirectory + "/not-a-directory"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        env["LOG_DIR"] = file + "/logs"
        let unwritable = try runToEnd("status-collect", ["--now", slot], environment: env)
        XCTAssertEqual(unwritable.status, 78)
        XCTAssertEqual(unwritable.stderr, "status-collect: configuration error: log.dir (LOG_DIR=\(file)/logs): cannot write \(file)/logs: Not a directory\n")
    }

    func testAFailedRunSaysWhatFailed() throws {
        try addBusiness("x", site: "dto", url: site.baseURL + "/x.html")
        // The status table gone from under the job: the run itself fails, and says why.
        try db.connection.execute(script: "ALTER TABLE status RENAME TO status_gone")
        try site.put("x.html", html: Pages.dto([.init("1", "a", "待機中")]))
        let result = try runToEnd("status-collect", ["--now", slot], environment: environment)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertFalse(result.stderr.contains("failed: failed"), result.stderr)
        XCTAssertTrue(result.stderr.contains("run 1 failed: ") && result.stderr.contains("status"), result.stderr)
    }

    func testForcingABusinessAlreadySampledInTheSlotSaysWhyNothingWasCollected() throws {
        let url = try site.put("f.html", html: Pages.dto([.init("1", "a", "待機中")]))
        let id = try addBusiness("f", site: "dto", url: url)
        XCTAssertEqual(try runToEnd("status-collect", ["--now", slot], environment: environment).status, 0)
        let why = "business \(id) already has a sample in this slot"
        let verbose = try runToEnd("status-collect", ["--now", slot, "--force", "--business-id", "\(id)", "--verbose"], environment: environment)
        XCTAssertEqual(verbose.status, 0)
        XCTAssertTrue(verbose.stderr.contains("nothing collected: \(why)"), verbose.stderr)
        let dry = try runToEnd("status-collect", ["--now", slot, "--force", "--business-id", "\(id)", "--dry-run"], environment: environment)
        XCTAssertTrue(dry.stdout.contains("business \(id): nothing to collect: \(why)"), dry.stdout)
        let quiet = try runToEnd("status-collect", ["--now", slot, "--force", "--business-id", "\(id)"], environment: environment)
        XCTAssertEqual(quiet.stderr, "", "quiet under cron")
        let unknown = try runToEnd("status-collect", ["--now", slot, "--business-id", "777", "--verbose"], environment: environment)
        XCTAssertTrue(unknown.stderr.contains("business 777 does not exist"), unknown.stderr)
        let log = try String(contentsOfFile: logDirectory + "/batch_processing.log", encoding: .utf8)
        XCTAssertTrue(log.contains("\"slot\":\"2026-11-23T21:00:00+09:00\""), "log fields are ISO 8601 with the offset")
        XCTAssertFalse(log.contains("+00\""), log)
    }
}
