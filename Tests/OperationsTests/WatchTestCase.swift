import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// A database whose ledger shows every registry job run on time, a fixture site taking webhook
/// and heartbeat calls, and `nightshift watch` run as a process at chosen times.
class WatchTestCase: DatabaseTestCase {
    let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    var site: FixtureSite!

    override func setUpWithError() throws {
        try super.setUpWithError()
        site = try FixtureSite()
    }

    override func tearDownWithError() throws {
        site = nil
        try super.tearDownWithError()
    }

    /// notify's schedule alerts, skipped where a test does not keep its every-minute ledger.
    static let notifySchedule = "missed:notify,late:notify"

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// The watcher first ran at `since`; every other job (or only those in `only`) ran and
    /// succeeded at each of its scheduled times between then and `until` (except `skipping`).
    func ledgerOnTime(since: Date, until: Date, skipping: Set<String> = [], only: Set<String>? = nil) throws {
        if only == nil { try run("watch", at: since, status: "succeeded") }
        var names: [String] = [], starts: [Date] = []
        // notify (every minute) is left out unless asked for: its schedule alerts are skipped here.
        for job in JobRegistry.jobs where job.name != "watch" && !skipping.contains(job.name) && only?.contains(job.name) ?? (job.name != "notify") {
            for due in job.schedule.times(after: since, through: until, in: tokyo) {
                names.append(job.name)
                starts.append(due.addingTimeInterval(30))
            }
        }
        try db.connection.query("""
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, items_ok)
            SELECT job, 'test', 1, 'succeeded', started, started + interval '20 seconds', 1
              FROM unnest($1::text[], $2::timestamptz[]) AS r(job, started)
            """, [names, starts])
    }

    /// A ledger row; a finished run did one item unless `items` says otherwise.
    func run(_ job: String, at started: Date, status: String, seconds: Double = 20, error: String? = nil, items: Int? = nil) throws {
        try db.connection.query("""
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, error, items_ok)
            VALUES ($1, 'test', 1, $2, $3, CASE WHEN $2 = 'running' THEN NULL ELSE $3::timestamptz + make_interval(secs => $4) END, $5, $6)
            """, [job, status, started, seconds, error, items ?? (status == "running" ? 0 : 1)])
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "WATCH_SKIP": "backup_age," + Self.notifySchedule].merging(extra) { $1 }
    }

    func watch(_ now: String, _ extra: [String: String] = [:], arguments: [String] = []) throws -> ProcessResult {
        try runToEnd("nightshift", ["watch", "--now", now] + arguments, environment: environment(extra))
    }

    func openAlerts() throws -> [String] {
        try db.connection.query("SELECT key FROM alert WHERE closed_at IS NULL ORDER BY key").rows.map { try $0.string("key") }
    }

    func notices() throws -> [String] {
        try db.connection.query("SELECT n.event || ' ' || a.key AS n FROM alert_notice n JOIN alert a ON a.id = n.alert_id ORDER BY n.id")
            .rows.map { try $0.string("n") }
    }

    /// The requests the fixture site received at `/_hook/<name>`.
    func hookRequests(_ name: String) throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: site.directory + "/\(name).requests", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    func hookURL(_ name: String) -> String { TestEnvironment.httpBase + "/_hook/" + URL(fileURLWithPath: site.directory).lastPathComponent + "/" + name }
}
