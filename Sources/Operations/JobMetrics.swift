import Foundation
import NightshiftCore
import Postgres
import Prometheus

/// The suite in Prometheus' exposition format, from the ledger alone (so any process can write it,
/// and a failed run never hides the last success): per job its last run, success, duration, exit
/// code, items and whether it is running; run counts by status, a duration histogram, open alerts
/// and dead letters.
public enum JobMetrics {
    /// Seconds: a status-collect run to a long backup.
    static let durationBuckets: [Double] = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200]

    public static func exposition(_ db: Connection) throws -> String {
        let registry = PrometheusCollectorRegistry()
        func gauge(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "nightshift", subsystem: "job", metricName: name,
                                                                unitName: unit, helpText: help), labels: labels)
        }
        let last = try db.query("""
            SELECT j.job,
                   extract(epoch FROM r.started_at)::float8 AS last_run, extract(epoch FROM r.finished_at - r.started_at)::float8 AS duration,
                   r.exit_code, r.items_ok, r.items_failed,
                   (SELECT extract(epoch FROM max(finished_at))::float8 FROM batch_runs s WHERE s.job = j.job AND s.status = 'succeeded') AS last_success,
                   EXISTS (SELECT 1 FROM batch_runs s WHERE s.job = j.job AND s.status = 'running') AS running
              FROM unnest($1::text[]) AS j(job)
              LEFT JOIN LATERAL (SELECT started_at, finished_at, exit_code, items_ok, items_failed FROM batch_runs
                                  WHERE job = j.job AND status NOT IN ('skipped', 'running') ORDER BY started_at DESC LIMIT 1) r ON true
            """, [RunLedger.jobs]).rows
        for row in last {
            let labels = [("job", try row.string("job"))]
            if let value = try row.optionalDouble("last_run") {
                gauge("last_run", "timestamp_seconds", "When the job's last finished run started (Unix time).", labels).set(to: value)
                gauge("last_duration", "seconds", "How long the job's last finished run took.", labels).set(to: try row.optionalDouble("duration") ?? 0)
                if let code = try row.optionalInt("exit_code") {
                    gauge("last_exit", "code", "The exit code of the job's last finished run.", labels).set(to: Double(code))
                }
                gauge("items", "", "Items of the job's last finished run, by result.", labels + [("result", "ok")])
                    .set(to: Double(try row.int("items_ok")))
                gauge("items", "", "Items of the job's last finished run, by result.", labels + [("result", "failed")])
                    .set(to: Double(try row.int("items_failed")))
            }
            if let value = try row.optionalDouble("last_success") {
                gauge("last_success", "timestamp_seconds", "When the job last finished with success (Unix time).", labels).set(to: value)
            }
            gauge("running", "", "1 while a run of the job is in progress.", labels).set(to: try row.bool("running") ? 1.0 : 0.0)
        }
        for row in try db.query("SELECT job, status, count(*) AS n FROM batch_runs GROUP BY job, status ORDER BY job, status").rows {
            registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "nightshift", subsystem: "job", metricName: "runs",
                                                                  unitName: "total", helpText: "Runs in the ledger, by job and status."),
                                 labels: [("job", try row.string("job")), ("status", try row.string("status"))])
                .increment(by: Int64(try row.int("n")))
        }
        let histogram = MetricNameDescriptor(namespace: "nightshift", subsystem: "job", metricName: "duration", unitName: "seconds",
                                             helpText: "Durations of the finished runs in the ledger.")
        for row in try db.query("""
            SELECT job, extract(epoch FROM finished_at - started_at)::float8 AS seconds FROM batch_runs
             WHERE finished_at IS NOT NULL AND status <> 'skipped' ORDER BY job
            """).rows {
            registry.makeValueHistogram(descriptor: histogram, labels: [("job", try row.string("job"))], buckets: durationBuckets)
                .record(try row.double("seconds"))
        }
        let open = try db.query("""
            SELECT s.severity, count(a.id) AS n FROM (VALUES ('warning'), ('critical')) s(severity)
              LEFT JOIN alert a ON a.severity = s.severity AND a.closed_at IS NULL GROUP BY s.severity ORDER BY s.severity
            """).rows
        for row in open {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "nightshift", metricName: "alerts_open", unitName: "",
                                                                helpText: "Open alerts of nightshift watch, by severity."),
                               labels: [("severity", try row.string("severity"))]).set(to: Double(try row.int("n")))
        }
        let letters = try db.query("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NULL").first!.int("n")
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "nightshift", metricName: "dead_letters_open", unitName: "",
                                                            helpText: "Open dead-letter items (nightshift failures).")).set(to: Double(letters))
        return registry.emitToString()
    }
}
