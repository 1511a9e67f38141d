import Foundation
import NightshiftCore
import Postgres

/// The `report` rows: created once per (kind, subject, month) — a rerun finds them and leaves them.
enum ReportStore {
    struct NewReport {
        var kind: String
        var subjectID: Int
        var figures: Data
    }

    /// Inserts the reports that do not exist yet; returns how many were inserted.
    static func insert(_ reports: [NewReport], month: CalendarMonth, runID: Int64, db: Connection) throws -> Int {
        guard !reports.isEmpty else { return 0 }
        let figures = reports.map { String(decoding: $0.figures, as: UTF8.self) }
        return try db.query("""
            INSERT INTO report (kind, subject_id, month, figures, inputs_hash, run_id)
            SELECT kind, subject_id, $4::date, figures::jsonb, encode(sha256(convert_to(figures, 'UTF8')), 'hex'), $5
              FROM unnest($1::text[], $2::int8[], $3::text[]) AS x(kind, subject_id, figures)
            ON CONFLICT (kind, subject_id, month) DO NOTHING
            """, [reports.map(\.kind), reports.map(\.subjectID), figures, month.firstDay, runID]).affectedRows
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
