import Foundation
import NightshiftCore
import Postgres

/// The week in performance (`maintenance analyze`, Mondays 05:00): each job's past seven days
/// against the seven before (runs, failures, p50 / p95 / max duration, items per second), the jobs
/// getting slower, the slowest statements from pg_stat_statements when it is installed, table
/// growth since the last analysis, and the companies calling the API most.
public struct PerformanceAnalysis: Codable, Sendable, Equatable {
    public struct JobWeek: Codable, Sendable, Equatable {
        public var runs = 0, failures = 0, partial = 0
        public var p50MS: Int?, p95MS: Int?, maxMS: Int?
        public var itemsPerSecond: Double?
    }

    public struct JobTrend: Codable, Sendable, Equatable {
        public var job: String
        public var current: JobWeek?, previous: JobWeek?
        /// The median run took this much longer than the week before (0.6 = 60 % slower).
        public var slowdown: Double?
        public var slower: Bool
    }

    public struct Statement: Codable, Sendable, Equatable {
        public var query: String
        public var calls: Int
        public var totalMS: Double, meanMS: Double
    }

    public struct TableSize: Codable, Sendable, Equatable {
        public var name: String
        public var bytes: Int64
        /// Since the previous analysis (nil on the first).
        public var growth: Int64?
    }

    public struct CompanyCalls: Codable, Sendable, Equatable {
        public var companyID: Int, name: String, apiCalls: Int
    }

    public var from: String, to: String
    public var jobs: [JobTrend]
    /// Nil when pg_stat_statements is not installed (`statementsNote` says how to enable it).
    public var slowestByTotal: [Statement]?, slowestByMean: [Statement]?
    public var statementsNote: String?
    public var tables: [TableSize]
    public var apiCalls: [CompanyCalls]

    /// A median run this much slower than the week before, with at least three runs in each, is flagged.
    static let minimumRuns = 3

    static func measure(_ db: Connection, now: Date, slowerPercent: Int) throws -> PerformanceAnalysis {
        let formatter = ISO8601DateFormatter()
        var weeks: [String: (current: JobWeek?, previous: JobWeek?)] = [:]
        for row in try db.query("""
            WITH runs AS (
                SELECT job, started_at >= $1::timestamptz - interval '7 days' AS current, status,
                       extract(epoch FROM finished_at - started_at) * 1000 AS ms, items_ok + items_failed AS items
                  FROM batch_runs
                 WHERE started_at >= $1::timestamptz - interval '14 days' AND started_at < $1::timestamptz AND status <> 'skipped')
            SELECT job, current, count(*) AS runs, count(*) FILTER (WHERE status IN ('failed', 'abandoned')) AS failures,
                   count(*) FILTER (WHERE status = 'partial') AS partial,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::int8 AS p50,
                   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::int8 AS p95, round(max(ms))::int8 AS max,
                   sum(items) FILTER (WHERE ms IS NOT NULL) / nullif(sum(ms) / 1000, 0) AS rate
              FROM runs GROUP BY job, current ORDER BY job
            """, [now]).rows {
            let week = JobWeek(runs: try row.int("runs"), failures: try row.int("failures"), partial: try row.int("partial"),
                               p50MS: try row.optionalInt("p50"), p95MS: try row.optionalInt("p95"), maxMS: try row.optionalInt("max"),
                               itemsPerSecond: try row.optionalString("rate").flatMap(Double.init))
            let job = try row.string("job")
            if try row.bool("current") { weeks[job, default: (nil, nil)].current = week } else { weeks[job, default: (nil, nil)].previous = week }
        }
        let jobs = weeks.keys.sorted().map { job -> JobTrend in
            let (current, previous) = weeks[job]!
            var slowdown: Double?
            if let now = current?.p50MS, let before = previous?.p50MS, before > 0,
               (current?.runs ?? 0) >= minimumRuns, (previous?.runs ?? 0) >= minimumRuns {
                slowdown = Double(now - before) / Double(before)
            }
            return JobTrend(job: job, current: current, previous: previous, slowdown: slowdown,
                            slower: (slowdown ?? 0) * 100 > Double(slowerPercent))
        }
        let (byTotal, byMean, note) = try statements(db)
        return PerformanceAnalysis(from: formatter.string(from: now.addingTimeInterval(-7 * 86_400)), to: formatter.string(from: now),
                                   jobs: jobs, slowestByTotal: byTotal, slowestByMean: byMean, statementsNote: note,
                                   tables: try tables(db), apiCalls: try apiCalls(db, now: now))
    }

    private static func statements(_ db: Connection) throws -> ([Statement]?, [Statement]?, String?) {
        guard try db.query("SELECT 1 AS x FROM pg_extension WHERE extname = 'pg_stat_statements'").first != nil else {
            return (nil, nil, "pg_stat_statements is not installed: add it to shared_preload_libraries, restart PostgreSQL, " +
                    "then CREATE EXTENSION pg_stat_statements in this database")
        }
        func top(_ order: String) throws -> [Statement] {
            try db.query("""
                SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 200) AS query, calls, total_exec_time AS total, mean_exec_time AS mean
                  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                 ORDER BY \(order) DESC LIMIT 10
                """).rows.map { row in
                Statement(query: try row.string("query"), calls: try row.int("calls"), totalMS: try row.double("total"), meanMS: try row.double("mean"))
            }
        }
        return (try top("total_exec_time"), try top("mean_exec_time"), nil)
    }

    /// The largest tables (partitioned ones whole), and their growth since the previous analysis.
    private static func tables(_ db: Connection) throws -> [TableSize] {
        let previous = try db.query("SELECT report->'tables' AS tables FROM performance_analysis ORDER BY taken_at DESC LIMIT 1").first
            .flatMap { try $0.optionalString("tables") }
            .flatMap { try? JSONDecoder().decode([TableSize].self, from: Data($0.utf8)) } ?? []
        let before = Dictionary(previous.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        return try db.query("""
            SELECT c.relname AS name,
                   CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i
                                                   WHERE i.inhparent = c.oid)
                        ELSE pg_total_relation_size(c.oid) END::int8 AS bytes
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND (c.relkind = 'p' OR (c.relkind = 'r' AND NOT c.relispartition))
             ORDER BY bytes DESC LIMIT 15
            """).rows.map { row in
            let name = try row.string("name"), bytes = Int64(try row.int("bytes"))
            return TableSize(name: name, bytes: bytes, growth: before[name].map { bytes - $0 })
        }
    }

    private static func apiCalls(_ db: Connection, now: Date) throws -> [CompanyCalls] {
        try db.query("""
            SELECT u.company_id, c.name, sum(u.api_calls)::int8 AS calls
              FROM usage_log u JOIN company c ON c.id = u.company_id
             WHERE u.usage_date >= ($1::timestamptz - interval '7 days')::date AND u.usage_date < $1::timestamptz::date
             GROUP BY u.company_id, c.name HAVING sum(u.api_calls) > 0 ORDER BY calls DESC, u.company_id LIMIT 10
            """, [now]).rows.map { CompanyCalls(companyID: try $0.int("company_id"), name: try $0.string("name"), apiCalls: try $0.int("calls")) }
    }
}
