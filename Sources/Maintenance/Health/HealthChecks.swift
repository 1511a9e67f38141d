import Backups
import Foundation
import NightshiftCore
import Postgres

/// Measures the checks of a health report. Thresholds follow check_postgres's defaults where it
/// has them (wraparound 1.3 / 1.4 billion transactions, backends 90 / 95 % of max_connections,
/// sequences 85 / 95 %, autovacuum freeze 90 / 95 %).
struct HealthChecks {
    typealias Check = HealthReport.Check

    /// Seconds a transaction may stay open, and a session idle in one, before a warning / critical.
    struct SessionLimits: Sendable {
        var transaction = (warning: 1800.0, critical: 7200.0)
        var idleInTransaction = (warning: 300.0, critical: 1800.0)
    }

    let db: Connection
    let now: Date
    /// File systems watched for free space: name → a directory on it.
    let directories: [String: String]
    let backupSettings: BackupSettings
    var limits = SessionLimits()
    /// When a btree index counts as bloated (maintenance's `reindex_*` settings).
    var upkeepThresholds = DatabaseUpkeep.Thresholds(analyzeChangedPercent: 10, vacuumDeadPercent: 20, reindexBloatPercent: 50,
                                                     reindexMinimumBytes: 8 << 20)

    func report() throws -> HealthReport {
        let database = try db.query("SELECT current_database() AS db, pg_database_size(current_database()) AS bytes").first!
        let bytes = Int64(try database.int("bytes"))
        let free = directories.compactMapValues(Self.freeBytes)
        var checks: [Check] = []
        checks += try wraparound()
        checks.append(try freezeNearness())
        checks += try sessions()
        checks.append(try connections())
        checks.append(try replicationSlots())
        checks.append(try sequences())
        checks.append(try tableBloat())
        checks.append(try indexBloat())
        checks += try indexes()
        checks.append(try defaultPartitions())
        checks.append(try growth(bytes))
        checks += diskSpace(free)
        checks.append(backupAge())
        checks += try jobs()
        return HealthReport(takenAt: ISO8601DateFormatter().string(from: now), database: try database.string("db"), checks: checks,
                            databaseBytes: bytes, freeBytes: free)
    }

    private func wraparound() throws -> [Check] {
        let row = try db.query("""
            SELECT age(datfrozenxid) AS xid, mxid_age(datminmxid) AS mxid FROM pg_database WHERE datname = current_database()
            """).first!
        return [("txid_wraparound", "transaction ID", try row.int("xid")), ("multixact_wraparound", "multixact ID", try row.int("mxid"))]
            .map { name, what, age in
                Check(name, HealthReport.level(Double(age), warning: 1.3e9, critical: 1.4e9),
                      "oldest unfrozen \(what) is \(FigureText.grouped(age)) old (wraparound at 2.1 billion)")
            }
    }

    private func freezeNearness() throws -> Check {
        let row = try db.query("""
            SELECT c.oid::regclass::text AS name, age(c.relfrozenxid)::float8 / current_setting('autovacuum_freeze_max_age')::float8 * 100 AS pct
              FROM pg_class c WHERE c.relkind IN ('r', 'm', 't') AND c.relfrozenxid <> '0'::xid ORDER BY age(c.relfrozenxid) DESC LIMIT 1
            """).first
        let percent = try row.map { try $0.double("pct") } ?? 0
        return Check("autovacuum_freeze", HealthReport.level(percent, warning: 90, critical: 95),
                     String(format: "%.0f%% of autovacuum_freeze_max_age", percent) + (try row.map { " (\(try $0.string("name")))" } ?? ""))
    }

    private func sessions() throws -> [Check] {
        let rows = try db.query("""
            SELECT pid, state, extract(epoch FROM now() - xact_start)::int8 AS xact_s, extract(epoch FROM now() - state_change)::int8 AS idle_s
              FROM pg_stat_activity
             WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL
            """).rows
        var oldest = (seconds: 0, pid: 0), idle = (seconds: 0, pid: 0)
        for row in rows {
            let pid = try row.int("pid"), seconds = try row.int("xact_s")
            if seconds > oldest.seconds { oldest = (seconds, pid) }
            if try row.optionalString("state")?.hasPrefix("idle in transaction") == true, try row.int("idle_s") > idle.seconds {
                idle = (try row.int("idle_s"), pid)
            }
        }
        func minutes(_ seconds: Int) -> String { seconds < 120 ? "\(seconds) s" : "\(seconds / 60) min" }
        return [
            Check("oldest_transaction", HealthReport.level(Double(oldest.seconds), warning: limits.transaction.warning,
                                                           critical: limits.transaction.critical),
                  oldest.pid == 0 ? "no open transaction" : "open for \(minutes(oldest.seconds)) (pid \(oldest.pid))"),
            Check("idle_in_transaction", HealthReport.level(Double(idle.seconds), warning: limits.idleInTransaction.warning,
                                                            critical: limits.idleInTransaction.critical),
                  idle.pid == 0 ? "no session idle in a transaction" : "a session idle in a transaction for \(minutes(idle.seconds)) (pid \(idle.pid))"),
        ]
    }

    private func connections() throws -> Check {
        let row = try db.query("""
            SELECT count(*) AS used, current_setting('max_connections')::int AS max FROM pg_stat_activity WHERE backend_type = 'client backend'
            """).first!
        let used = try row.int("used"), max = try row.int("max")
        return Check("connections", HealthReport.level(Double(used) / Double(max) * 100, warning: 90, critical: 95), "\(used) of \(max)")
    }

    private func replicationSlots() throws -> Check {
        let rows = try db.query("""
            SELECT slot_name, active, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::int8 AS retained
              FROM pg_replication_slots
            """).rows
        let inactive = try rows.filter { !(try $0.bool("active")) }
        guard !inactive.isEmpty else { return Check("replication_slots", .ok, "\(rows.count) slots, none inactive") }
        let retained = try inactive.map { try $0.int("retained") }.max() ?? 0
        return Check("replication_slots", retained >= 10 << 30 ? .critical : .warning,
                     "\(inactive.count) inactive (\(try inactive.map { try $0.string("slot_name") }.joined(separator: ", "))) retaining " +
                        ByteCountFormatter.string(fromByteCount: Int64(retained), countStyle: .binary) + " of WAL")
    }

    private func sequences() throws -> Check {
        let row = try db.query("""
            SELECT format('%I.%I', schemaname, sequencename) AS name, coalesce(last_value, start_value)::float8 / max_value::float8 * 100 AS pct
              FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 2 DESC NULLS LAST LIMIT 1
            """).first
        guard let row else { return Check("sequences", .ok, "no sequence") }
        let percent = try row.double("pct")
        return Check("sequences", HealthReport.level(percent, warning: 85, critical: 95),
                     String(format: "%@ has used %.1f%% of its range", try row.string("name"), percent))
    }

    private func tableBloat() throws -> Check {
        let row = try db.query("""
            SELECT format('%I.%I', schemaname, relname) AS name, n_dead_tup::float8 / greatest(n_live_tup + n_dead_tup, 1) * 100 AS pct
              FROM pg_stat_user_tables WHERE schemaname = current_schema() AND n_dead_tup > 10000 ORDER BY 2 DESC LIMIT 1
            """).first
        guard let row else { return Check("table_bloat", .ok, "no table with over 10,000 dead rows") }
        let percent = try row.double("pct")
        return Check("table_bloat", HealthReport.level(percent, warning: 30, critical: 60),
                     String(format: "%@: %.0f%% of its rows dead", try row.string("name"), percent))
    }

    /// Indexes maintenance would rebuild (at its default thresholds) that are still bloated.
    private func indexBloat() throws -> Check {
        let bloated = try DatabaseUpkeep.bloatedIndexes(db, upkeepThresholds)
        return Check("index_bloat", bloated.isEmpty ? .ok : .warning,
                     bloated.isEmpty ? "no btree index over \(upkeepThresholds.reindexBloatPercent)% free space"
                                     : "\(bloated.count) over \(upkeepThresholds.reindexBloatPercent)% free space: \(bloated.prefix(5).joined(separator: ", "))")
    }

    /// Rows no month partition of the samples covers.
    private func defaultPartitions() throws -> Check {
        let rows = try MonthPartition.defaultRows(db).filter { $0.value > 0 }
        return Check("default_partitions", rows.isEmpty ? .ok : .warning,
                     rows.isEmpty ? "empty" : rows.sorted { $0.key < $1.key }.map { "\($0.key)_default: \($0.value) rows" }.joined(separator: ", "))
    }

    /// Invalid and duplicate indexes are warnings; unused ones (no scan since the statistics were
    /// reset, over 1 MB, not enforcing a key) are listed without one.
    private func indexes() throws -> [Check] {
        let invalid = try db.query("""
            SELECT string_agg(c.relname, ', ' ORDER BY c.relname) AS names, count(*) AS n
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT i.indisvalid AND n.nspname = current_schema()
            """).first!
        let duplicates = try db.query("""
            SELECT string_agg(names, '; ') AS names, count(*) AS n FROM (
                SELECT string_agg(c.relname, ' = ' ORDER BY c.relname) AS names
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind = 'i'
                 GROUP BY i.indrelid, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
                          coalesce(pg_get_expr(i.indpred, i.indrelid), '')
                HAVING count(*) > 1) d
            """).first!
        let unused = try db.query("""
            SELECT string_agg(s.indexrelname, ', ' ORDER BY s.indexrelname) AS names, count(*) AS n
              FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
             WHERE s.schemaname = current_schema() AND s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
               AND pg_relation_size(s.indexrelid) > 1 << 20
            """).first!
        func listed(_ row: Row, _ none: String) throws -> String {
            try row.int("n") == 0 ? none : "\(try row.int("n")): \(try row.string("names"))"
        }
        return [
            Check("invalid_indexes", try invalid.int("n") > 0 ? .warning : .ok, try listed(invalid, "none")),
            Check("duplicate_indexes", try duplicates.int("n") > 0 ? .warning : .ok, try listed(duplicates, "none")),
            Check("unused_indexes", .ok, try listed(unused, "none over 1 MB")),
        ]
    }

    /// The database's size and its growth per week, from the snapshot of about a week ago.
    private func growth(_ bytes: Int64) throws -> Check {
        let earlier = try db.query("""
            SELECT database_bytes, extract(epoch FROM $1::timestamptz - taken_at)::float8 AS seconds FROM health_snapshot
             WHERE taken_at <= $1::timestamptz - interval '6 days' ORDER BY taken_at DESC LIMIT 1
            """, [now]).first
        let size = ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
        guard let earlier else { return Check("database_size", .ok, "\(size) (growth known after a week of snapshots)") }
        let perWeek = Double(bytes - Int64(try earlier.int("database_bytes"))) / (try earlier.double("seconds") / 604_800)
        return Check("database_size", .ok, "\(size), \(perWeek >= 0 ? "+" : "−")" +
                     ByteCountFormatter.string(fromByteCount: Int64(abs(perWeek)), countStyle: .binary) + " a week")
    }

    /// Free space where logs, output and backups are written, and the days left at the rate it
    /// fell since the snapshot of about a week ago: under 10 % free or 30 days left warns, under
    /// 5 % or 7 days is critical.
    private func diskSpace(_ free: [String: Int64]) -> [Check] {
        free.keys.sorted().map { name in
            let path = directories[name]!
            guard let available = free[name], let total = Self.totalBytes(path), total > 0 else {
                return Check("disk_\(name)", .warning, "cannot read the file system of \(path)")
            }
            let percent = Double(available) / Double(total) * 100
            var level: HealthReport.Level = percent < 5 ? .critical : percent < 10 ? .warning : .ok
            var detail = String(format: "%@ free (%.0f%%) at %@", ByteCountFormatter.string(fromByteCount: available, countStyle: .binary),
                                percent, path)
            if let days = daysLeft(name, available) {
                detail += String(format: ", about %.0f days left at this week's rate", days)
                level = max(level, days < 7 ? .critical : days < 30 ? .warning : .ok)
            }
            return Check("disk_\(name)", level, detail)
        }
    }

    private func daysLeft(_ name: String, _ available: Int64) -> Double? {
        guard let row = try? db.query("""
            SELECT (free_bytes ->> $2)::int8 AS free, extract(epoch FROM $1::timestamptz - taken_at)::float8 AS seconds FROM health_snapshot
             WHERE taken_at <= $1::timestamptz - interval '6 days' AND free_bytes ? $2 ORDER BY taken_at DESC LIMIT 1
            """, [now, name]).first, let before = try? row.int("free"), let seconds = try? row.double("seconds") else { return nil }
        let perDay = Double(Int64(before) - available) / (seconds / 86_400)
        return perDay > 0 ? Double(available) / perDay : nil
    }

    /// The newest verified backup of this database: over 26 hours warns, over 50 is critical.
    private func backupAge() -> Check {
        guard let database = try? db.query("SELECT current_database() AS db").first?.string("db"),
              let newest = BackupCatalog.newestVerified(in: backupSettings.directory, database: database) else {
            return Check("backup_age", .critical, "no verified backup of this database in \(backupSettings.directory)")
        }
        let hours = now.timeIntervalSince(newest) / 3600
        return Check("backup_age", HealthReport.level(hours, warning: 26, critical: 50), String(format: "newest verified backup %.1f hours old", hours))
    }

    /// Each job's last success, and its open dead-letter items (any is a warning).
    private func jobs() throws -> [Check] {
        try db.query("""
            SELECT j.job,
                   (SELECT max(finished_at) FROM batch_runs r WHERE r.job = j.job AND r.status = 'succeeded') AS last_success,
                   (SELECT status FROM batch_runs r WHERE r.job = j.job AND r.status <> 'skipped' ORDER BY started_at DESC LIMIT 1) AS last_status,
                   (SELECT count(*) FROM batch_failures f WHERE f.job = j.job AND f.resolved_at IS NULL) AS open_items
              FROM unnest($1::text[]) AS j(job)
            """, [RunLedger.jobs.filter { $0 != MaintenanceJob.name }]).rows.map { row in
            let job = try row.string("job"), open = try row.int("open_items")
            let success = try row.optionalString("last_success").map { "last success \($0)" } ?? "never succeeded"
            let last = try row.optionalString("last_status").map { ", last run \($0)" } ?? ", never run"
            return Check("job_\(job)", open > 0 ? .warning : .ok, "\(success)\(last), \(open) open dead-letter items")
        }
    }

    static func freeBytes(_ path: String) -> Int64? { fileSystem(of: path).map { Int64($0.f_bavail) * Int64($0.f_frsize) } }

    static func totalBytes(_ path: String) -> Int64? { fileSystem(of: path).map { Int64($0.f_blocks) * Int64($0.f_frsize) } }

    /// The file system `path` is on, or will be on once a job creates it (its nearest existing parent).
    static func fileSystem(of path: String) -> statvfs? {
        var candidate = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var info = statvfs()
            if statvfs(candidate.path, &info) == 0 { return info }
            guard candidate.path != "/" else { return nil }
            candidate.deleteLastPathComponent()
        }
    }
}

enum FigureText {
    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
