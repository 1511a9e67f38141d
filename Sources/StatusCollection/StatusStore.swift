import Foundation
import NightshiftCore
import Postgres

/// Writes one business's sample: its casts, their statuses and its `status_collection` row,
/// in one transaction, idempotently (a rerun of the slot adds nothing twice).
public struct StatusStore {
    let db: Connection
    let runID: Int64

    public init(db: Connection, runID: Int64) {
        self.db = db
        self.runID = runID
    }

    public func saveSuccess(business: DueBusiness, slot: Date, collectedAt: Date, casts: [ParsedCast],
                            pages: Int, httpStatus: Int, durationMS: Int) throws {
        let unknown = casts.filter { $0.status == .unknown }.count
        try db.transaction {
            if !casts.isEmpty {
                try db.query("""
                    WITH incoming AS (
                        SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[])
                                   AS u(site_cast_id, name, status, raw_status)),
                    upserted AS (
                        INSERT INTO "cast" (business_id, site_cast_id, name, first_seen_at, last_seen_at)
                        SELECT $1::int8, site_cast_id, name, $7::timestamptz, $7::timestamptz FROM incoming
                        ON CONFLICT (business_id, site_cast_id) DO UPDATE
                           SET name = EXCLUDED.name,
                               last_seen_at = GREATEST("cast".last_seen_at, EXCLUDED.last_seen_at),
                               first_seen_at = LEAST("cast".first_seen_at, EXCLUDED.first_seen_at)
                        RETURNING id, site_cast_id)
                    INSERT INTO status (cast_id, business_id, slot, status, raw_status)
                    SELECT upserted.id, $1::int8, $2::timestamptz, incoming.status, incoming.raw_status
                      FROM incoming JOIN upserted USING (site_cast_id)
                    ON CONFLICT (cast_id, slot) DO NOTHING
                    """, [business.id, slot, casts.map(\.siteCastID), casts.map(\.name),
                          casts.map(\.status.rawValue), casts.map(\.rawStatus), collectedAt])
            }
            try db.query("""
                INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen,
                                               unknown_statuses, pages, http_status, duration_ms, error)
                VALUES ($1, $2, $3, $4, true, $5, $6, $7, $8, $9, NULL)
                ON CONFLICT (business_id, slot) DO UPDATE
                   SET run_id = EXCLUDED.run_id, collected_at = EXCLUDED.collected_at, ok = true,
                       casts_seen = EXCLUDED.casts_seen, unknown_statuses = EXCLUDED.unknown_statuses,
                       pages = EXCLUDED.pages, http_status = EXCLUDED.http_status,
                       duration_ms = EXCLUDED.duration_ms, error = NULL, recorded_at = now()
                """, [business.id, runID, slot, collectedAt, casts.count, unknown, pages, httpStatus, durationMS])
        }
    }

    /// Records a failed collection, unless the slot already holds a successful one.
    public func saveFailure(business: DueBusiness, slot: Date, collectedAt: Date, error: String, httpStatus: Int?,
                            durationMS: Int) throws {
        try db.query("""
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, http_status, duration_ms, error)
            VALUES ($1, $2, $3, $4, false, $5, $6, $7)
            ON CONFLICT (business_id, slot) DO UPDATE
               SET run_id = EXCLUDED.run_id, collected_at = EXCLUDED.collected_at,
                   http_status = EXCLUDED.http_status, duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error
             WHERE NOT status_collection.ok
            """, [business.id, runID, slot, collectedAt, httpStatus, durationMS, Secrets.shared.scrub(error)])
    }

    /// The business's dead-letter key: recorded while its collections fail, resolved by the next
    /// one that succeeds.
    public static func itemKey(_ business: DueBusiness) -> String { "business:\(business.id)" }
}
