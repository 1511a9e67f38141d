import Foundation
import NightshiftCore
import Postgres

/// Read-only views of the run ledger for `nightshift runs` and `nightshift failures`.
public enum LedgerReport {
    public static func runs(_ db: Connection, job: String?, status: String?, limit: Int) throws -> [[String: String?]] {
        let result = try db.query("""
            SELECT id, job, status, started_at, finished_at, items_ok, items_failed, host, pid,
                   round(extract(epoch FROM coalesce(finished_at, now()) - started_at) * 1000)::int8 AS duration_ms,
                   error
              FROM batch_runs
             WHERE ($1::text IS NULL OR job = $1) AND ($2::text IS NULL OR status = $2)
             ORDER BY id DESC LIMIT $3
            """, [job, status, limit])
        return try table(result)
    }

    public static func failures(_ db: Connection, job: String?, includeResolved: Bool, limit: Int) throws -> [[String: String?]] {
        let result = try db.query("""
            SELECT id, job, item_key, run_id, attempts, occurrences, first_seen_at, last_seen_at, resolved_at, error
              FROM batch_failures
             WHERE ($1::text IS NULL OR job = $1) AND ($2::bool OR resolved_at IS NULL)
             ORDER BY last_seen_at DESC, id DESC LIMIT $3
            """, [job, includeResolved, limit])
        return try table(result)
    }

    public static func table(_ result: QueryResult) throws -> [[String: String?]] {
        try result.rows.map { row in
            var record = [String: String?]()
            for column in result.columns { record[column] = try row.raw(column) }
            return record
        }
    }

    /// One JSON object per row, keys in `columns` order; numbers stay numbers.
    public static func json(_ rows: [[String: String?]], columns: [String], numeric: Set<String>) -> String {
        let objects = rows.map { row -> String in
            let fields = columns.map { column -> String in
                let value: String
                switch row[column] ?? nil {
                case .none: value = "null"
                case .some(let text): value = numeric.contains(column) ? text : jsonQuoted(text)
                }
                return "\(jsonQuoted(column)):\(value)"
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]"
    }

    /// Aligned columns for a terminal, with a header row; long cells are cut.
    public static func text(_ rows: [[String: String?]], columns: [String], numeric: Set<String> = [], maxWidth: Int = 60) -> String {
        let table = TextTable(headers: columns, rightAligned: Set(columns.indices.filter { numeric.contains(columns[$0]) }),
                              maxCellWidth: maxWidth)
        return table.render(rows.map { row in columns.map { (row[$0] ?? nil) ?? "-" } })
    }

    /// Timestamps as people read them: ISO 8601 with the offset of `zone`.
    public static func localTimes(_ rows: [[String: String?]], columns: [String], zone: TimeZone) -> [[String: String?]] {
        rows.map { row in
            var row = row
            for column in columns { if let value = row[column] ?? nil { row[column] = LocalTime.isoTimestamp(postgres: value, in: zone) } }
            return row
        }
    }
}
