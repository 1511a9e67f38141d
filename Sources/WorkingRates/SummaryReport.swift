import Foundation
import NightshiftCore
import Postgres

/// `rate-calc summary`: a business's last N business days against the N before.
public struct SummaryReport: Sendable {
    public enum Format: Sendable { case text, json, csv }

    public struct Period: Sendable, Equatable {
        public var from: String
        public var to: String
        public var attendanceRate: Decimal?
        public var workingRate: Decimal?
        public var daysCovered: Int
        public var meanCoverage: Decimal?

        public init(from: String, to: String, attendanceRate: Decimal?, workingRate: Decimal?, daysCovered: Int,
                    meanCoverage: Decimal?) {
            self.from = from
            self.to = to
            self.attendanceRate = attendanceRate
            self.workingRate = workingRate
            self.daysCovered = daysCovered
            self.meanCoverage = meanCoverage
        }
    }

    public struct RankedCast: Sendable, Equatable {
        public var castID: Int
        public var name: String
        public var daysOnShift: Int
        public var onShiftSamples: Int
        public var busySamples: Int
        public var workingRate: Decimal
    }

    public var businessID: Int
    public var businessName: String
    public var current: Period
    public var previous: Period
    public var topCasts: [RankedCast]

    /// Nil when the business has no computed day up to `today`.
    public static func build(_ db: Connection, businessID: Int, days: Int, now: Date) throws -> SummaryReport? {
        guard let head = try db.query("""
            SELECT b.name, max(bd.business_day)::text AS last_day
              FROM business b
              JOIN business_daily bd ON bd.business_id = b.id
                                    AND bd.business_day <= ($2::timestamptz AT TIME ZONE b.time_zone)::date
             WHERE b.id = $1 GROUP BY b.name
            """, [businessID, now]).first else { return nil }
        let end = try head.string("last_day")
        func period(_ offset: Int) throws -> Period {
            let row = try db.query("""
                WITH bounds AS (SELECT $2::date - ($3::int * ($4::int + 1) - 1) AS first, $2::date - $3::int * $4::int AS last)
                SELECT (SELECT first FROM bounds)::text AS from_day, (SELECT last FROM bounds)::text AS to_day,
                       round(avg(h.on_shift_samples::numeric / h.samples) FILTER (WHERE h.on_shift_samples > 0), 6)::text AS attendance,
                       round(avg(h.busy_samples::numeric / h.on_shift_samples) FILTER (WHERE h.on_shift_samples > 0), 6)::text AS working,
                       (SELECT count(*) FROM business_daily d, bounds
                         WHERE d.business_id = $1 AND d.business_day BETWEEN bounds.first AND bounds.last AND d.ok_slots > 0) AS covered,
                       (SELECT round(avg(d.coverage), 6)::text FROM business_daily d, bounds
                         WHERE d.business_id = $1 AND d.business_day BETWEEN bounds.first AND bounds.last) AS coverage
                  FROM status_history h, bounds
                 WHERE h.business_id = $1 AND h.business_day BETWEEN bounds.first AND bounds.last
                """, [businessID, end, days, offset]).first!
            return Period(from: try row.string("from_day"), to: try row.string("to_day"),
                          attendanceRate: try row.optionalString("attendance").flatMap { Decimal(string: $0) },
                          workingRate: try row.optionalString("working").flatMap { Decimal(string: $0) },
                          daysCovered: try row.int("covered"),
                          meanCoverage: try row.optionalString("coverage").flatMap { Decimal(string: $0) })
        }
        let current = try period(0)
        let casts = try db.query("""
            SELECT c.id, c.name, count(*) FILTER (WHERE h.on_shift_samples > 0) AS days_on,
                   sum(h.on_shift_samples) AS on_shift, sum(h.busy_samples) AS busy,
                   round(sum(h.busy_samples)::numeric / sum(h.on_shift_samples), 6)::text AS working
              FROM status_history h JOIN "cast" c ON c.id = h.cast_id
             WHERE h.business_id = $1 AND h.business_day BETWEEN $2::date AND $3::date
             GROUP BY c.id, c.name HAVING sum(h.on_shift_samples) > 0
             ORDER BY sum(h.busy_samples)::numeric / sum(h.on_shift_samples) DESC, sum(h.on_shift_samples) DESC, c.id
             LIMIT 10
            """, [businessID, current.from, current.to]).rows.map {
            RankedCast(castID: try $0.int("id"), name: try $0.string("name"), daysOnShift: try $0.int("days_on"),
                       onShiftSamples: try $0.int("on_shift"), busySamples: try $0.int("busy"),
                       workingRate: Decimal(string: try $0.string("working"))!)
        }
        return SummaryReport(businessID: businessID, businessName: try head.string("name"), current: current,
                             previous: try period(1), topCasts: casts)
    }

    /// The command: exit 0 also when there is no data (it says so).
    /// A business that does not exist is a usage error naming the ones that do.
    public static func requireBusiness(_ id: Int, _ db: Connection) throws {
        let ids = try db.query("SELECT id FROM business ORDER BY id LIMIT 21").rows.map { try $0.int("id") }
        guard try db.query("SELECT 1 AS x FROM business WHERE id = $1", [id]).first == nil else { return }
        let known = ids.isEmpty ? "there are no businesses" :
            "known: " + ids.prefix(20).map(String.init).joined(separator: ", ") + (ids.count > 20 ? ", …" : "")
        throw UsageError("--business-id \(id): no such business (\(known))")
    }
}
