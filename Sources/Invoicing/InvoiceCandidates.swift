import Foundation
import NightshiftCore
import Postgres

/// A contract to bill for a month, with what its invoice is computed from.
struct InvoiceCandidate {
    var contractID: Int
    var companyID: Int
    var companyName: String
    var postalCode: String
    var address: String
    var email: String
    var plan: ContractPlan?
    var periodStart: String
    var periodEnd: String
    /// Days of the period with a usage_log row, and the days the period has.
    var usageDays: Int
    var periodDays: Int
    var maxUsers: Int?
    var maxEngineers: Int?
    var existingInvoice: Bool
}

enum InvoiceCandidates {
    /// Contracts in force during some day of the month, `limit` at a time after `afterContract`,
    /// with their plan and the highest daily totals of the contract's part of the month (from its
    /// start or the 1st to its end or the last day). `active` and `suspended` contracts are billed
    /// for every day from `starts_on` to `ends_on` (suspension pauses the service, not the
    /// contract); a `cancelled` one up to its `ends_on`, and never when it has none (called off
    /// before its service began).
    static func page(_ db: Connection, month: CalendarMonth, afterContract: Int, limit: Int) throws -> [InvoiceCandidate] {
        try db.query("""
            SELECT k.id AS contract_id, k.company_id, c.name AS company_name, c.postal_code, c.address, c.billing_email,
                   p.name AS plan_name, coalesce(p.display_name, p.name) AS plan_display_name, p.base_price_yen, p.included_users, p.price_per_user_yen,
                   p.included_engineers, p.price_per_engineer_yen,
                   x.period_start::text AS period_start, x.period_end::text AS period_end,
                   (x.period_end - x.period_start + 1) AS period_days,
                   u.days AS usage_days, u.max_users, u.max_engineers,
                   EXISTS (SELECT 1 FROM invoice i WHERE i.contract_id = k.id AND i.billing_month = $1::date) AS invoiced
              FROM contract k
              JOIN company c ON c.id = k.company_id
              LEFT JOIN contract_plan p ON p.id = k.plan_id
             CROSS JOIN LATERAL (SELECT greatest(k.starts_on, $1::date) AS period_start,
                                        least(coalesce(k.ends_on, $2::date), $2::date) AS period_end) x
             CROSS JOIN LATERAL (
                   SELECT count(*) AS days, max(l.total_users) AS max_users, max(l.total_engineers) AS max_engineers
                     FROM usage_log l
                    WHERE l.company_id = k.company_id AND l.usage_date BETWEEN x.period_start AND x.period_end) u
             WHERE k.starts_on <= $2::date AND (k.ends_on IS NULL OR k.ends_on >= $1::date)
               AND (k.status <> 'cancelled' OR k.ends_on IS NOT NULL)
               AND k.id > $3
             ORDER BY k.id
             LIMIT $4
            """, [month.firstDay, month.lastDay, afterContract, limit]).rows.map { row in
            let plan = try row.optionalString("plan_name").map { name in
                ContractPlan(name: name, displayName: try row.string("plan_display_name"), basePriceYen: try row.int("base_price_yen"), includedUsers: try row.int("included_users"),
                             pricePerUserYen: try row.int("price_per_user_yen"), includedEngineers: try row.int("included_engineers"),
                             pricePerEngineerYen: try row.int("price_per_engineer_yen"))
            }
            return InvoiceCandidate(
                contractID: try row.int("contract_id"), companyID: try row.int("company_id"),
                companyName: try row.string("company_name"), postalCode: try row.string("postal_code"),
                address: try row.string("address"), email: try row.string("billing_email"), plan: plan,
                periodStart: try row.string("period_start"), periodEnd: try row.string("period_end"),
                usageDays: try row.int("usage_days"), periodDays: try row.int("period_days"),
                maxUsers: try row.optionalInt("max_users"), maxEngineers: try row.optionalInt("max_engineers"),
                existingInvoice: try row.bool("invoiced"))
        }
    }
}
