import Foundation
import NightshiftCore
import Postgres

/// The static status page `nightshift watch --html DIR` writes: the jobs table, open alerts, each
/// job's last 7 days as a strip of hourly cells coloured by the worst run in the hour, recent
/// failures. Plain HTML and CSS (no JavaScript), written atomically, for any web server.
public struct StatusPage {
    let overview: JobsOverview
    let now: Date
    let database: String
    let alerts: [(key: String, severity: String, since: Date, summary: String)]
    /// Job → the worst status of each hour, oldest first (168 cells; nil: no run).
    let strips: [String: [String?]]
    let failures: [(job: String, item: String, lastSeen: Date, error: String)]

    static let hours = 7 * 24

    public static func read(_ db: Connection, now: Date, zone: TimeZone) throws -> StatusPage {
        let overview = try JobsOverview.read(db, now: now, zone: zone)
        let alerts = try db.query("""
            SELECT key, severity, opened_at, summary FROM alert WHERE closed_at IS NULL ORDER BY severity = 'critical' DESC, opened_at
            """).rows.map { (try $0.string("key"), try $0.string("severity"), try $0.date("opened_at"), try $0.string("summary")) }
        // Hour cells counted back from the hour `now` is in: cell 167 is the current hour.
        let end = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600)
        var strips: [String: [String?]] = [:]
        for row in try db.query("""
            SELECT job, floor(extract(epoch FROM $1::timestamptz - started_at) / 3600)::int AS hours_ago,
                   (array_agg(status ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'abandoned' THEN 1 WHEN 'partial' THEN 2
                        WHEN 'interrupted' THEN 3 WHEN 'running' THEN 4 WHEN 'succeeded' THEN 5 ELSE 6 END))[1] AS worst
              FROM batch_runs
             WHERE started_at >= $1::timestamptz - interval '168 hours' AND started_at < $1 AND status <> 'skipped'
             GROUP BY 1, 2
            """, [end]).rows {
            let job = try row.string("job"), ago = try row.int("hours_ago")
            guard (0..<hours).contains(ago) else { continue }
            strips[job, default: Array(repeating: nil, count: hours)][hours - 1 - ago] = try row.string("worst")
        }
        let failures = try db.query("""
            SELECT job, item_key, last_seen_at, error FROM batch_failures WHERE resolved_at IS NULL ORDER BY last_seen_at DESC LIMIT 20
            """).rows.map { (try $0.string("job"), try $0.string("item_key"), try $0.date("last_seen_at"), try $0.string("error")) }
        let database = try db.query("SELECT current_database() AS db").first!.string("db")
        return StatusPage(overview: overview, now: now, database: database, alerts: alerts, strips: strips, failures: failures)
    }

    public func write(to directory: String) throws {
        if !FileManager.default.fileExists(atPath: directory) { try DurableFiles.makeDirectory(directory, mode: 0o755) }
        try DurableFiles.write(Data(html.utf8), to: "\(directory)/index.html", mode: 0o644)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    func time(_ date: Date?) -> String { date.map { LocalTime.isoTimestamp($0, in: overview.zone) } ?? "—" }

    static let colours = ["succeeded": "#2e9d5b", "partial": "#e0a526", "failed": "#d23c3c", "abandoned": "#8e2b8e",
                          "interrupted": "#6b8fc7", "running": "#3f7fd9"]

    public var html: String {
        let e = Self.escaped
        let jobRows = overview.lines.map { line -> String in
            let stateClass = ["succeeded", "running"].contains(line.state) ? "ok" : (line.state == "never run" ? "none" : "bad")
            return "<tr><td>\(e(line.job))</td><td><code>\(e(line.schedule))</code></td><td>\(e(time(line.lastRun))) \(e(line.lastStatus ?? ""))</td>"
                + "<td>\(e(time(line.lastSuccess)))</td><td class=\"\(stateClass)\">\(e(line.state))</td><td>\(e(time(line.nextDue)))</td>"
                + "<td class=\"n\">\(line.openFailures)</td><td class=\"n\">\(line.openAlerts)</td></tr>"
        }.joined(separator: "\n")
        let alertRows = alerts.isEmpty ? "<p class=\"ok\">No open alerts.</p>" : "<table><tr><th>alert</th><th>severity</th><th>since</th><th>what</th></tr>\n"
            + alerts.map { "<tr><td>\(e($0.key))</td><td class=\"\($0.severity)\">\(e($0.severity))</td><td>\(e(time($0.since)))</td><td class=\"what\">\(e($0.summary))</td></tr>" }
                .joined(separator: "\n") + "</table>"
        let stripRows = overview.lines.map { line -> String in
            let cells = (strips[line.job] ?? Array(repeating: nil, count: Self.hours)).enumerated().map { index, status -> String in
                let hour = now.addingTimeInterval(Double(index - Self.hours + 1) * 3600)
                let title = "\(time(hour).prefix(13)):00 \(status ?? "no run")"
                return "<i style=\"background:\(status.flatMap { Self.colours[$0] } ?? "#e4e4e4")\" title=\"\(e(title))\"></i>"
            }.joined()
            return "<tr><td>\(e(line.job))</td><td class=\"strip\">\(cells)</td></tr>"
        }.joined(separator: "\n")
        let failureRows = failures.isEmpty ? "<p class=\"ok\">No open failures.</p>" : "<table><tr><th>job</th><th>item</th><th>last seen</th><th>error</th></tr>\n"
            + failures.map { "<tr><td>\(e($0.job))</td><td>\(e($0.item))</td><td>\(e(time($0.lastSeen)))</td><td class=\"what\">\(e(String($0.error.prefix(160))))</td></tr>" }
                .joined(separator: "\n") + "</table>"
        let legend = ["succeeded", "partial", "failed", "abandoned", "interrupted", "running"]
            .map { "<i style=\"background:\(Self.colours[$0]!)\"></i> \($0)" }.joined(separator: " &nbsp; ") + " &nbsp; <i style=\"background:#e4e4e4\"></i> no run"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="300">
        <title>Nightshift — \(e(database))</title>
        <style>
        body { font: 14px/1.4 "DejaVu Sans", sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
        table { border-collapse: collapse; } td, th { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; } td, th { white-space: nowrap; } td.what { white-space: normal; } td.n { text-align: right; } code { font-size: 13px; }
        .ok { color: #1f7a45; } .bad, .critical { color: #b52a2a; font-weight: bold; } .warning { color: #a06d00; font-weight: bold; } .none { color: #888; }
        .strip { white-space: nowrap; line-height: 0; } .strip i, .legend i { display: inline-block; width: 4px; height: 14px; margin-right: 1px; }
        .legend i { width: 10px; height: 10px; } .muted { color: #777; }
        </style></head><body>
        <h1>Nightshift — \(e(database))</h1>
        <p class="muted">As of \(e(time(now))) (\(e(overview.zone.identifier))); written by <code>nightshift watch</code>, refreshed every 5 minutes.</p>
        <h2>Jobs</h2>
        <table><tr><th>job</th><th>schedule</th><th>last run</th><th>last success</th><th>state</th><th>next due</th><th>open failures</th><th>open alerts</th></tr>
        \(jobRows)
        </table>
        <h2>Open alerts</h2>
        \(alertRows)
        <h2>Last 7 days (one cell per hour, the worst run in it)</h2>
        <p class="legend">\(legend)</p>
        <table>
        \(stripRows)
        </table>
        <h2>Open failures</h2>
        \(failureRows)
        </body></html>

        """
    }
}
