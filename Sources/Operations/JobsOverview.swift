import Foundation
import NightshiftCore
import Postgres

/// One line per registry job — schedule, last run, last success, state, next due, open
/// failures, open alerts — for `nightshift jobs` and the status page.
public struct JobsOverview: Sendable {
    public struct Line: Sendable, Encodable {
        public let job: String
        public let schedule: String
        public let lastRun: Date?
        public let lastStatus: String?
        public let lastSuccess: Date?
        /// `running`, an open alert's kind (`missed`, `failing`, …), else the last status, or `never run`.
        public let state: String
        public let nextDue: Date?
        public let openFailures: Int
        public let openAlerts: Int
    }

    public let lines: [Line]
    public let zone: TimeZone

    public static func read(_ db: Connection, now: Date, zone: TimeZone) throws -> JobsOverview {
        let jobs = JobRegistry.jobs
        let rows = try db.query("""
            SELECT j.job, r.started_at AS last_run, r.status AS last_status,
                   (SELECT max(finished_at) FROM batch_runs s WHERE s.job = j.job AND s.status = 'succeeded') AS last_success,
                   EXISTS (SELECT 1 FROM batch_runs s WHERE s.job = j.job AND s.status = 'running') AS running,
                   (SELECT count(*) FROM batch_failures f WHERE f.job = j.lock_job AND f.resolved_at IS NULL) AS failures,
                   (SELECT count(*) FROM alert a WHERE a.job = j.job AND a.closed_at IS NULL) AS alerts,
                   (SELECT split_part(a.key, ':', 1) FROM alert a WHERE a.job = j.job AND a.closed_at IS NULL
                     ORDER BY a.severity = 'critical' DESC, a.opened_at LIMIT 1) AS alert_kind
              FROM unnest($1::text[], $2::text[]) AS j(job, lock_job)
              LEFT JOIN LATERAL (SELECT started_at, status FROM batch_runs WHERE job = j.job AND status NOT IN ('skipped', 'running')
                                  ORDER BY started_at DESC LIMIT 1) r ON true
            """, [jobs.map(\.name), jobs.map(\.lockName)]).rows
        let lines = try zip(jobs, rows).map { job, row -> Line in
            let status = try row.optionalString("last_status")
            let state = try row.bool("running") ? "running" : try row.optionalString("alert_kind") ?? status ?? "never run"
            return Line(job: job.name, schedule: job.schedule.expression, lastRun: try row.optionalDate("last_run"), lastStatus: status,
                        lastSuccess: try row.optionalDate("last_success"), state: state, nextDue: job.schedule.next(after: now, in: zone),
                        openFailures: try row.int("failures"), openAlerts: try row.int("alerts"))
        }
        return JobsOverview(lines: lines, zone: zone)
    }

    public static let columns = ["job", "schedule", "last_run", "last_success", "state", "next_due", "open_failures", "open_alerts"]

    /// The lines as text cells, times local to the suite's zone.
    public var cells: [[String]] {
        func time(_ date: Date?) -> String { date.map { LocalTime.isoTimestamp($0, in: zone) } ?? "-" }
        return lines.map { line in
            [line.job, line.schedule, line.lastRun.map { "\(time($0)) \(line.lastStatus ?? "")" } ?? "-", time(line.lastSuccess),
             line.state, time(line.nextDue), "\(line.openFailures)", "\(line.openAlerts)"]
        }
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let zone = zone
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(LocalTime.isoTimestamp(date, in: zone))
        }
        return String(decoding: try! encoder.encode(lines), as: UTF8.self)
    }
}
