import Foundation
import NightshiftCore
import Postgres

/// What the ledger says of each registry job against its schedule: missed, late, failing,
/// running too long. Scheduled times before the watcher's first run are not judged (a new
/// install is not "missing" a month of runs).
struct JobConditions {
    let db: Connection
    let now: Date
    let zone: TimeZone
    /// When the watcher first ran on this database.
    let watchingSince: Date

    struct Ledger {
        var lastSuccess: Date?
        var oldestRunning: (id: Int, startedAt: Date, host: String)?
        /// Finished runs, newest first (skipped and interrupted ones left out: neither is a verdict).
        var verdicts: [(status: String, startedAt: Date, error: String?)]
    }

    func evaluate(_ jobs: [ScheduledJob]) throws -> [Condition] {
        var found: [Condition] = []
        for job in jobs {
            let ledger = try read(job.name)
            let critical: Condition.Severity = job.criticality == .critical ? .critical : .warning
            if let (missed, due) = try missed(job) {
                found.append(Condition("missed:\(job.name)", job: job.name, critical, missed, dueAt: due))
            }
            let period = job.schedule.longestGap(from: now, in: zone) + TimeInterval(job.grace)
            let lateSince = ledger.lastSuccess ?? watchingSince
            if now.timeIntervalSince(lateSince) > period, now.timeIntervalSince(watchingSince) > period {
                let last = ledger.lastSuccess.map { "last success \(Span.text(now.timeIntervalSince($0))) ago" } ?? "no success yet"
                found.append(Condition("late:\(job.name)", job: job.name, critical,
                                       "\(job.name): \(last) (expected at least every \(Span.text(period)))",
                                       dueAt: lateSince.addingTimeInterval(period)))
            }
            let failures = ledger.verdicts.prefix { $0.status != "succeeded" }
            if failures.count >= job.failuresBeforeAlert, let last = failures.first {
                let reason = last.error.map { ": " + $0.prefix(200) } ?? ""
                found.append(Condition("failing:\(job.name)", job: job.name, critical,
                                       "\(job.name): \(failures.count) run(s) in a row not succeeded, the last \(last.status)\(reason)"))
            }
            if let running = ledger.oldestRunning, now.timeIntervalSince(running.startedAt) > TimeInterval(job.maxDuration) {
                found.append(Condition("running_long:\(job.name)", job: job.name, .warning,
                                       "\(job.name): run \(running.id) on \(running.host) running for "
                                       + "\(Span.text(now.timeIntervalSince(running.startedAt))) (maximum \(Span.text(TimeInterval(job.maxDuration))))"))
            }
        }
        return found
    }

    /// The latest scheduled time whose grace is over, when no run started from shortly before it
    /// until now (a run by hand after it counts).
    func missed(_ job: ScheduledJob) throws -> (String, Date)? {
        guard let due = job.schedule.previous(atOrBefore: now.addingTimeInterval(-TimeInterval(job.grace)), in: zone),
              due >= watchingSince else { return nil }
        let started = try db.query("""
            SELECT EXISTS (SELECT 1 FROM batch_runs WHERE job = $1 AND started_at >= $2::timestamptz - interval '2 minutes') AS ran
            """, [job.name, due]).first!.bool("ran")
        guard !started else { return nil }
        return ("\(job.name): no run started for the one due at \(LocalTime.isoTimestamp(due, in: zone)) "
            + "(grace \(Span.text(TimeInterval(job.grace))))", due)
    }

    func read(_ job: String) throws -> Ledger {
        let summary = try db.query("""
            SELECT (SELECT max(finished_at) FROM batch_runs WHERE job = $1 AND status = 'succeeded') AS last_success,
                   r.id, r.started_at, r.host
              FROM (SELECT 1) one
              LEFT JOIN LATERAL (SELECT id, started_at, host FROM batch_runs WHERE job = $1 AND status = 'running'
                                  ORDER BY started_at LIMIT 1) r ON true
            """, [job]).first!
        var ledger = Ledger(lastSuccess: try summary.optionalDate("last_success"), verdicts: [])
        if let id = try summary.optionalInt("id") {
            ledger.oldestRunning = (id, try summary.date("started_at"), try summary.string("host"))
        }
        ledger.verdicts = try db.query("""
            SELECT status, started_at, error FROM batch_runs
             WHERE job = $1 AND status IN ('succeeded', 'partial', 'failed', 'abandoned')
             ORDER BY started_at DESC LIMIT 20
            """, [job]).rows.map { (try $0.string("status"), try $0.date("started_at"), try $0.optionalString("error")) }
        return ledger
    }
}
