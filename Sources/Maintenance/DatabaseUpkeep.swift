import Foundation
import NightshiftCore
import Postgres

/// Statistics and indexes kept healthy, one statement at a time, each with `lock_timeout`:
/// `ANALYZE` where a table changed much since its statistics (and every partitioned parent, which
/// autovacuum never analyzes), `VACUUM (ANALYZE)` where dead rows are a large share, invalid
/// indexes left by an interrupted concurrent build dropped (a `…_ccnew` copy) or rebuilt, and
/// `REINDEX INDEX CONCURRENTLY` for btree indexes whose estimated bloat is high — never while
/// another job of the suite holds its lock. Never `REINDEX DATABASE`.
struct DatabaseUpkeep {
    struct Thresholds: Sendable {
        /// Rows changed since the last analyze, as a share of the live rows.
        var analyzeChangedPercent: Int
        /// Dead rows as a share of all rows.
        var vacuumDeadPercent: Int
        /// Estimated free space in an index, as a share of its size.
        var reindexBloatPercent: Int
        /// Smaller indexes are never rebuilt.
        var reindexMinimumBytes: Int
    }

    /// The jobs whose runs a concurrent rebuild must not slow down (their advisory locks).
    static var suiteJobs: [String] { RunLedger.jobs.filter { $0 != MaintenanceJob.name && $0 != MaintenanceAnalyzeJob.name } }

    static let analyzeStep = ItemStep<String>(name: "analyze", failureMessage: "ANALYZE failed", keys: { ["analyze:\($0)"] },
                                              label: { "ANALYZE \($0)" })
    static let vacuumStep = ItemStep<String>(name: "vacuum", failureMessage: "VACUUM failed", keys: { ["vacuum:\($0)"] },
                                             label: { "VACUUM \($0)" })
    static let invalidStep = ItemStep<String>(name: "invalid_index", failureMessage: "cannot repair an invalid index",
                                              keys: { ["index:\($0)"] }, label: { "invalid index \($0)" })
    static let reindexStep = ItemStep<String>(name: "reindex", failureMessage: "REINDEX CONCURRENTLY failed", keys: { ["index:\($0)"] },
                                              label: { "REINDEX \($0)" })

    let thresholds: Thresholds
    let lockTimeoutMS: Int
    let context: JobContext
    var db: Connection { context.db }

    /// Tables (quoted, schema-qualified) to analyze: changed beyond the threshold or never
    /// analyzed, and every partitioned parent.
    func staleStatistics() throws -> [String] {
        try db.query("""
            SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
             WHERE schemaname = current_schema()
               AND (n_mod_since_analyze > greatest(n_live_tup, 1) * $1 / 100.0 + 50
                    OR (last_analyze IS NULL AND last_autoanalyze IS NULL AND n_live_tup > 0))
               AND NOT (n_dead_tup > (n_live_tup + n_dead_tup) * $2 / 100.0 AND n_dead_tup > 1000)
            UNION
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'p' AND n.nspname = current_schema()
             ORDER BY 1
            """, [thresholds.analyzeChangedPercent, thresholds.vacuumDeadPercent]).rows.map { try $0.string("name") }
    }

    func deadRows() throws -> [String] {
        try db.query("""
            SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
             WHERE schemaname = current_schema() AND n_dead_tup > (n_live_tup + n_dead_tup) * $1 / 100.0 AND n_dead_tup > 1000
             ORDER BY 1
            """, [thresholds.vacuumDeadPercent]).rows.map { try $0.string("name") }
    }

    /// Invalid indexes (not of a build running now): a `…_ccnew` copy of an interrupted
    /// concurrent reindex is dropped, any other rebuilt.
    func invalidIndexes() throws -> [String] {
        try db.query("""
            SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT i.indisvalid AND n.nspname = current_schema() AND c.relkind = 'i'
               AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
             ORDER BY 1
            """).rows.map { try $0.string("name") }
    }

    /// Btree indexes of at least the minimum size whose estimated bloat is above the threshold:
    /// `pgstatindex` (pgstattuple) when installed, else the pages their rows need by the
    /// statistics' column widths (12 bytes of item header and pointer each, 90 % fill) against
    /// the pages they have.
    func bloatedIndexes() throws -> [String] { try Self.bloatedIndexes(db, thresholds) }

    static func bloatedIndexes(_ db: Connection, _ thresholds: Thresholds) throws -> [String] {
        let hasPgstattuple = try db.query("SELECT 1 AS x FROM pg_extension WHERE extname = 'pgstattuple'").first != nil
        let bloat = hasPgstattuple ? "greatest(0, 1 - (pgstatindex(c.oid::regclass)).avg_leaf_density / 90.0)"
            : "greatest(0, 1 - ceil(c.reltuples * (12 + w.width) / (8192 * 0.9 - 24)) / greatest(c.relpages - 1, 1))"
        return try db.query("""
            SELECT format('%I.%I', n.nspname, c.relname) AS name
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam AND am.amname = 'btree'
             CROSS JOIN LATERAL (
                   SELECT coalesce(sum(coalesce(s.avg_width, 8)), 8) AS width
                     FROM unnest(i.indkey) k(attnum)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                     LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname AND s.attname = a.attname) w
             WHERE i.indisvalid AND c.relkind = 'i' AND n.nspname = current_schema() AND c.reltuples >= 0
               AND c.relpages >= 10 AND c.relpages::int8 * 8192 >= $1 AND \(bloat) * 100 > $2
             ORDER BY c.relpages DESC
            """, [thresholds.reindexMinimumBytes, thresholds.reindexBloatPercent]).rows.map { try $0.string("name") }
    }

    /// Another job of the suite holds its lock (is running).
    func suiteJobRunning() throws -> Bool {
        try db.query("""
            SELECT 1 AS x FROM pg_locks
             WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND objsubid = 1
               AND ((classid::int8 << 32) | objid::int8) = ANY ($1::int8[])
            """, [Self.suiteJobs.map { Int(Database.lockKey("nightshift.job.\($0)")) }]).first != nil
    }

    /// Statistics first: the bloat estimate of an index reads its table's fresh row count.
    func run(into summary: inout JobSummary) throws {
        let vacuum = try deadRows(), analyze = try staleStatistics()
        guard !context.isDryRun else {
            for table in vacuum { context.report("would VACUUM (ANALYZE) \(table)") }
            for table in analyze { context.report("would ANALYZE \(table)") }
            for index in try invalidIndexes() { context.report("would repair the invalid index \(index)") }
            for index in try bloatedIndexes() { context.report("would REINDEX INDEX CONCURRENTLY \(index)") }
            return
        }
        try context.run(Self.vacuumStep, vacuum, into: &summary) { try statement("VACUUM (ANALYZE) \($0)") }
        try context.run(Self.analyzeStep, analyze, into: &summary) { try statement("ANALYZE \($0)") }
        let invalid = try invalidIndexes(), bloated = try bloatedIndexes()
        var postponed = 0
        func rebuild<Item>(_ step: ItemStep<Item>, _ items: [Item], _ body: (Item) throws -> Void) throws {
            try context.run(step, items, into: &summary) { item in
                guard try !suiteJobRunning() else {
                    postponed += 1
                    context.logger.info("an index rebuild waits for a quieter run: another job of the suite is running")
                    return
                }
                try body(item)
            }
        }
        try rebuild(Self.invalidStep, invalid) { index in
            try statement(index.contains("_ccnew") ? "DROP INDEX CONCURRENTLY \(index)"
                                                                                : "REINDEX INDEX CONCURRENTLY \(index)")
        }
        try rebuild(Self.reindexStep, bloated) { try statement("REINDEX INDEX CONCURRENTLY \($0)") }
        summary.metadata["rebuilds_postponed"] = .int(postponed)
    }

    /// One statement outside any transaction (VACUUM and the concurrent forms need that), after
    /// setting `lock_timeout` for the session.
    private func statement(_ sql: String) throws {
        try db.execute(script: "SET lock_timeout = \(lockTimeoutMS)")
        defer { _ = try? db.execute(script: "RESET lock_timeout") }
        try db.execute(script: sql)
    }
}
