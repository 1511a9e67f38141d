import Foundation
import NightshiftCore
import Postgres

/// A business due for collection in this slot.
public struct DueBusiness: Sendable {
    public let id: Int
    public let name: String
    public let site: String
    public let listingURL: String
    /// Casts seen in its last successful sample (for the empty-listing rule); nil if none yet.
    public let previousCasts: Int?
}

/// Which slot a run belongs to and which businesses it must collect.
public enum CollectionPlan {
    /// The start of the `intervalMinutes` interval containing `date` (intervals divide the day,
    /// counted from the Unix epoch, so they fall on :00/:30 in every whole- or half-hour zone).
    public static func slot(for date: Date, intervalMinutes: Int) -> Date {
        let width = Double(intervalMinutes * 60)
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / width).rounded(.down) * width)
    }

    /// Active businesses open at `slot` (opening hours widened by `bufferMinutes` on both sides,
    /// both edges included; hours may cross midnight; each in its own time zone) that have no
    /// successful sample in `slot` yet. `force` ignores the hours.
    public static func dueBusinesses(_ db: Connection, slot: Date, bufferMinutes: Int, force: Bool,
                                     onlyIDs: [Int]) throws -> [DueBusiness] {
        let rows = try db.query("""
            SELECT b.id, b.name, b.site, b.listing_url,
                   (SELECT sc.casts_seen FROM status_collection sc
                     WHERE sc.business_id = b.id AND sc.ok ORDER BY sc.slot DESC LIMIT 1) AS previous_casts
              FROM business b
             WHERE b.active
               AND (cardinality($3::int8[]) = 0 OR b.id = ANY ($3::int8[]))
               AND ($4::bool OR EXISTS (
                    SELECT 1
                      FROM generate_series(-1, 0) AS k(day_offset)
                     CROSS JOIN LATERAL (
                           SELECT (($1::timestamptz AT TIME ZONE b.time_zone)::date + k.day_offset) AS local_day) d
                     CROSS JOIN LATERAL business_window(d.local_day, b.open_time, b.close_time, b.time_zone) w
                     WHERE $1::timestamptz BETWEEN w.opens - make_interval(mins => $2::int)
                                               AND w.closes + make_interval(mins => $2::int)))
               AND NOT EXISTS (SELECT 1 FROM status_collection sc
                                WHERE sc.business_id = b.id AND sc.slot = $1::timestamptz AND sc.ok)
             ORDER BY b.id
            """, [slot, bufferMinutes, onlyIDs, force])
        return try rows.rows.map {
            DueBusiness(id: try $0.int("id"), name: try $0.string("name"), site: try $0.string("site"),
                        listingURL: try $0.string("listing_url"), previousCasts: try $0.optionalInt("previous_casts"))
        }
    }

    /// Why each of `ids` (asked for by `--business-id`) is not due in `slot`, in words a person
    /// can act on: unknown, inactive, closed, or already sampled in this slot.
    public static func notDueReasons(_ db: Connection, slot: Date, ids: [Int], due: [DueBusiness]) throws -> [(id: Int, reason: String)] {
        let missing = ids.filter { id in !due.contains { $0.id == id } }
        guard !missing.isEmpty else { return [] }
        let rows = try db.query("""
            SELECT x.id, b.id IS NOT NULL AS known, coalesce(b.active, false) AS active,
                   EXISTS (SELECT 1 FROM status_collection sc WHERE sc.business_id = x.id AND sc.slot = $1::timestamptz AND sc.ok) AS sampled
              FROM unnest($2::int8[]) AS x(id) LEFT JOIN business b ON b.id = x.id ORDER BY x.id
            """, [slot, missing]).rows
        return try rows.map { row in
            let id = try row.int("id")
            if try !row.bool("known") { return (id, "business \(id) does not exist") }
            if try !row.bool("active") { return (id, "business \(id) is not active") }
            if try row.bool("sampled") {
                return (id, "business \(id) already has a sample in this slot (one per business and slot; --force ignores only the opening hours)")
            }
            return (id, "business \(id) is closed in this slot (--force collects outside the opening hours)")
        }
    }
}
