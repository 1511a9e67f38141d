import Backups
import Foundation
import NightshiftCore
import Postgres
import StatusCollection

/// Beyond pings, what the data itself shows: the last slot's samples, yesterday's rate days and
/// usage day, the dead-letter backlog, the newest verified backup.
struct DataConditions {
    let db: Connection
    let now: Date
    let settings: WatchSettings
    let core: CoreSettings

    func evaluate() throws -> [Condition] {
        try [samples(), rateDays(), usageDay(), deadLetters(), notifyBacklog()].compactMap { $0 } + [backupAge()].compactMap { $0 }
            + JobRegistry.jobs.filter { $0.emptyRun != .expected }.compactMap(emptyRun)
    }

    /// The job's latest finished run succeeded having done nothing, where the registry says that
    /// is suspicious: for status-collect, while businesses were open and left unsampled in its slot.
    func emptyRun(_ job: ScheduledJob) throws -> Condition? {
        guard let run = try db.query("""
            SELECT id, started_at, items_ok + items_failed AS items, status FROM batch_runs
             WHERE job = $1 AND status IN ('succeeded', 'partial', 'failed', 'abandoned')
             ORDER BY started_at DESC LIMIT 1
            """, [job.name]).first, try run.string("status") == "succeeded", try run.int("items") == 0 else { return nil }
        let started = try run.date("started_at")
        var why = ""
        if job.emptyRun == .suspiciousWhileBusinessesOpen {
            let slot = CollectionPlan.slot(for: started, intervalMinutes: core.statusCollectionIntervalMinutes)
            let due = try CollectionPlan.dueBusinesses(db, slot: slot, bufferMinutes: settings.collectionBufferMinutes, force: false, onlyIDs: [])
            guard !due.isEmpty else { return nil }
            why = " while \(due.count) business(es) open in its slot were not sampled"
        }
        return Condition("no_work:\(job.name)", job: job.name, .warning,
                         "\(job.name): run \(try run.int("id")) at \(LocalTime.isoTimestamp(started, in: core.timeZone)) succeeded with 0 items"
                         + why + " (check its configuration and the clock)", dueAt: started)
    }

    /// Every business open in the last slot whose collection should be over has an ok sample.
    func samples() throws -> Condition? {
        guard let job = JobRegistry.job(named: "status-collect"),
              let due = job.schedule.previous(atOrBefore: now.addingTimeInterval(-TimeInterval(job.grace)), in: core.timeZone) else { return nil }
        let slot = CollectionPlan.slot(for: due, intervalMinutes: core.statusCollectionIntervalMinutes)
        let missing = try CollectionPlan.dueBusinesses(db, slot: slot, bufferMinutes: settings.collectionBufferMinutes, force: false, onlyIDs: [])
        guard !missing.isEmpty else { return nil }
        let names = missing.prefix(5).map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
        return Condition("samples_missing", job: job.name, .critical,
                         "\(missing.count) business(es) open at \(LocalTime.isoTimestamp(slot, in: core.timeZone)) without a sample: \(names)"
                         + (missing.count > 5 ? ", …" : ""), dueAt: due)
    }

    /// Business days over long enough for rate-calc (every 6 hours) to have computed them: each
    /// business with samples in the day has its rates. The newest day checked is the one 37 hours
    /// back in the business's zone (an overnight day ends at 05:00 the next morning; computed by
    /// 13:00), and the six before it: a day stays missing until it is computed.
    func rateDays() throws -> Condition? {
        let rows = try db.query("""
            SELECT b.id, b.name, min(d.day) AS day, count(*) AS days
              FROM business b
             CROSS JOIN generate_series(0, 6) k(back)
             CROSS JOIN LATERAL (SELECT (($1::timestamptz - interval '37 hours') AT TIME ZONE b.time_zone)::date - k.back AS day) d
             CROSS JOIN LATERAL business_window(d.day, b.open_time, b.close_time, b.time_zone) w
             WHERE b.active
               AND EXISTS (SELECT 1 FROM status_collection sc WHERE sc.business_id = b.id AND sc.slot >= w.opens AND sc.slot < w.closes)
               AND NOT EXISTS (SELECT 1 FROM business_daily bd WHERE bd.business_id = b.id AND bd.business_day = d.day)
             GROUP BY b.id, b.name
             ORDER BY min(d.day), b.id
            """, [now]).rows
        guard let first = rows.first else { return nil }
        let days = try rows.reduce(0) { $0 + (try $1.int("days")) }
        let names = try rows.prefix(5).map { "\(try $0.string("name")) (\(try $0.int("id")))" }.joined(separator: ", ")
        return Condition("rate_days_missing", job: "rate-calc", .warning,
                         "\(days) business day(s) without rates, the oldest \(try first.string("day")): \(names)" + (rows.count > 5 ? ", …" : ""))
    }

    /// The system-wide usage row of yesterday (once usage-aggregate at 03:00 and its grace are
    /// past) and of the six days before, for days some active company existed.
    func usageDay() throws -> Condition? {
        let days = try db.query("""
            SELECT d.day::text AS day
              FROM generate_series(0, 6) k(back)
             CROSS JOIN LATERAL (SELECT (($1::timestamptz - interval '29 hours') AT TIME ZONE $2::text)::date - k.back AS day) d
             WHERE EXISTS (SELECT 1 FROM company WHERE active AND (created_at AT TIME ZONE $2::text)::date < d.day)
               AND NOT EXISTS (SELECT 1 FROM usage_log WHERE company_id IS NULL AND usage_date = d.day)
             ORDER BY d.day
            """, [now, core.timeZone.identifier]).rows.map { try $0.string("day") }
        guard !days.isEmpty else { return nil }
        return Condition("usage_day_missing", job: "usage-aggregate", .warning, "no usage_log rows for " + days.joined(separator: ", "))
    }

    /// Notifications due for over 5 minutes and still not delivered: notify is not running, or
    /// not keeping up (run more hosts), or the mail server is refusing everything for a while.
    func notifyBacklog() throws -> Condition? {
        let row = try db.query("""
            SELECT count(*) AS n, min(due_at) AS oldest FROM notification
             WHERE status IN ('queued', 'claimed') AND due_at < $1::timestamptz - interval '5 minutes'
            """, [now]).first!
        let waiting = try row.int("n")
        guard waiting > settings.notifyBacklogThreshold, let oldest = try row.optionalDate("oldest") else { return nil }
        return Condition("notify_backlog", job: "notify", .warning,
                         "\(waiting) notifications overdue (threshold \(settings.notifyBacklogThreshold)), the oldest due at "
                         + LocalTime.isoTimestamp(oldest, in: core.timeZone))
    }

    func deadLetters() throws -> Condition? {
        let open = try db.query("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NULL").first!.int("n")
        guard open > settings.deadLetterThreshold else { return nil }
        return Condition("dead_letters", .warning,
                         "\(open) open dead-letter items (threshold \(settings.deadLetterThreshold)): see `nightshift failures`")
    }

    func backupAge() -> Condition? {
        guard let directory = settings.backupDirectory,
              let database = try? db.query("SELECT current_database() AS db").first?.string("db") else { return nil }
        guard let newest = BackupCatalog.newestVerified(in: directory, database: database) else {
            return Condition("backup_age", job: "backup", .critical, "no verified backup of \(database) in \(directory)")
        }
        let age = now.timeIntervalSince(newest)
        guard age > TimeInterval(settings.backupMaxAgeHours * 3600) else { return nil }
        return Condition("backup_age", job: "backup", .critical,
                         "the newest verified backup of \(database) is \(Span.text(age)) old (limit \(settings.backupMaxAgeHours) h)")
    }
}
