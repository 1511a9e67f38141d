import Foundation
import NightshiftCore
import Postgres

/// The operator's month (運用月次レポート): system-wide usage, the month's revenue from its
/// invoices, engineers registered, and every job's runs from the ledger. Stored once as
/// `report` kind `operator`, subject 0.
public struct OperatorReport: Sendable, Equatable, Codable {
    public struct Revenue: Sendable, Equatable, Codable {
        public var invoices = 0, subtotalYen = 0, taxYen = 0, totalYen = 0
    }

    public struct PlanRevenue: Sendable, Equatable, Codable {
        public var plan: String, invoices: Int, totalYen: Int
    }

    public struct Engineers: Sendable, Equatable, Codable {
        /// At the month's end (local time); `active` by the engineer's present status.
        public var registered = 0, active = 0
        /// Created and deleted during the month.
        public var added = 0, removed = 0
    }

    public struct JobMonth: Sendable, Equatable, Codable {
        public var job: String
        /// Runs started in the month (skipped ones not counted), and those that failed (or were
        /// abandoned) or were partial.
        public var runs: Int, failed: Int, partial: Int
        /// Durations of the finished runs, milliseconds.
        public var p50MS: Int?, p95MS: Int?, maxMS: Int?
        /// Dead-letter items open when the report was made.
        public var openItems: Int
    }

    public var month: String
    public var usage: CompanyUsage
    public var revenue: Revenue?
    public var previousRevenue: Revenue?
    public var byPlan: [PlanRevenue]
    /// Contracts invoiced this month and not the month before, and the other way round.
    public var newContracts: Int, lostContracts: Int
    /// The month's invoices not (yet) mailed.
    public var unsentInvoices: Int
    public var engineers: Engineers
    public var jobs: [JobMonth]

    /// `report:operator:0:<YYYY-MM>`.
    public static func key(_ month: CalendarMonth) -> String { "report:operator:0:\(month)" }

    /// The figures of `month`, its bounds as local days in `timeZone`.
    public static func make(_ db: Connection, month: CalendarMonth, timeZone: TimeZone) throws -> OperatorReport {
        let usage = try CompanyUsage.load(db, month: month, companies: [], system: true)[0] ?? CompanyUsage(companyID: 0)
        var revenue: Revenue?, previous: Revenue?
        for row in try db.query("""
            SELECT billing_month = $1::date AS current, count(*) AS n, sum(subtotal_yen) AS subtotal, sum(tax_yen) AS tax, sum(total_yen) AS total
              FROM invoice WHERE billing_month IN ($1::date, $2::date) GROUP BY 1
            """, [month.firstDay, month.before.firstDay]).rows {
            let figures = Revenue(invoices: try row.int("n"), subtotalYen: try row.int("subtotal"), taxYen: try row.int("tax"),
                                  totalYen: try row.int("total"))
            if try row.bool("current") { revenue = figures } else { previous = figures }
        }
        let byPlan = try db.query("""
            SELECT plan_name, count(*) AS n, sum(total_yen) AS total FROM invoice WHERE billing_month = $1::date
             GROUP BY plan_name ORDER BY plan_name
            """, [month.firstDay]).rows.map {
            PlanRevenue(plan: try $0.string("plan_name"), invoices: try $0.int("n"), totalYen: try $0.int("total"))
        }
        let contracts = try db.query("""
            SELECT count(*) FILTER (WHERE now AND NOT before) AS added, count(*) FILTER (WHERE before AND NOT now) AS lost
              FROM (SELECT contract_id, bool_or(billing_month = $1::date) AS now, bool_or(billing_month = $2::date) AS before
                      FROM invoice WHERE billing_month IN ($1::date, $2::date) GROUP BY contract_id) c
            """, [month.firstDay, month.before.firstDay]).first!
        let unsent = try db.query("""
            SELECT count(*) AS n FROM invoice i LEFT JOIN mail_outbox o ON o.about = 'invoice:' || i.id
             WHERE i.billing_month = $1::date AND (o.status IS NULL OR o.status = 'pending')
            """, [month.firstDay]).first!.int("n")
        return OperatorReport(month: month.description, usage: usage, revenue: revenue, previousRevenue: previous, byPlan: byPlan,
                              newContracts: try contracts.int("added"), lostContracts: try contracts.int("lost"), unsentInvoices: unsent,
                              engineers: try engineers(db, month: month, timeZone: timeZone),
                              jobs: try jobs(db, month: month, timeZone: timeZone))
    }

    static func engineers(_ db: Connection, month: CalendarMonth, timeZone: TimeZone) throws -> Engineers {
        let row = try db.query("""
            WITH b AS (SELECT ($1::date)::timestamp AT TIME ZONE $3 AS starts, ($2::date + 1)::timestamp AT TIME ZONE $3 AS ends)
            SELECT count(*) FILTER (WHERE e.created_at < b.ends AND (e.deleted_at IS NULL OR e.deleted_at >= b.ends)) AS registered,
                   count(*) FILTER (WHERE e.created_at < b.ends AND (e.deleted_at IS NULL OR e.deleted_at >= b.ends)
                                      AND e.status = 'active') AS active,
                   count(*) FILTER (WHERE e.created_at >= b.starts AND e.created_at < b.ends) AS added,
                   count(*) FILTER (WHERE e.deleted_at >= b.starts AND e.deleted_at < b.ends) AS removed
              FROM engineer e, b
            """, [month.firstDay, month.lastDay, timeZone.identifier]).first!
        return Engineers(registered: try row.int("registered"), active: try row.int("active"), added: try row.int("added"),
                         removed: try row.int("removed"))
    }

    static func jobs(_ db: Connection, month: CalendarMonth, timeZone: TimeZone) throws -> [JobMonth] {
        try db.query("""
            WITH b AS (SELECT ($1::date)::timestamp AT TIME ZONE $3 AS starts, ($2::date + 1)::timestamp AT TIME ZONE $3 AS ends),
            runs AS (
                SELECT r.job, r.status, (extract(epoch FROM r.finished_at - r.started_at) * 1000)::bigint AS ms
                  FROM batch_runs r, b WHERE r.started_at >= b.starts AND r.started_at < b.ends AND r.status <> 'skipped')
            SELECT j.job, count(r.job) AS runs, count(*) FILTER (WHERE r.status IN ('failed', 'abandoned')) AS failed,
                   count(*) FILTER (WHERE r.status = 'partial') AS partial,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY r.ms) AS p50, percentile_disc(0.95) WITHIN GROUP (ORDER BY r.ms) AS p95,
                   max(r.ms) AS max,
                   (SELECT count(*) FROM batch_failures f WHERE f.job = j.job AND f.resolved_at IS NULL) AS open_items
              FROM unnest($4::text[]) AS j(job) LEFT JOIN runs r ON r.job = j.job
             GROUP BY j.job ORDER BY array_position($4::text[], j.job)
            """, [month.firstDay, month.lastDay, timeZone.identifier, RunLedger.jobs]).rows.map { row in
            JobMonth(job: try row.string("job"), runs: try row.int("runs"), failed: try row.int("failed"), partial: try row.int("partial"),
                     p50MS: try row.optionalInt("p50"), p95MS: try row.optionalInt("p95"), maxMS: try row.optionalInt("max"),
                     openItems: try row.int("open_items"))
        }
    }
}
