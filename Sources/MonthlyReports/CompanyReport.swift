import Foundation
import NightshiftCore
import Postgres

/// What a company's report shows, as stored in `report.figures`: its name and address as they
/// were, its usage, and the month's invoice when there is one.
public struct CompanyReport: Sendable, Equatable, Codable {
    public struct Invoice: Sendable, Equatable, Codable {
        public var number: String
        public var totalYen: Int
    }

    public var companyID: Int
    public var companyName: String
    public var billingEmail: String
    public var month: String
    public var usage: CompanyUsage
    public var invoice: Invoice?

    /// `report:company:<id>:<YYYY-MM>`: the dead letter of its computation, and what its mail is about.
    public static func key(_ companyID: Int, _ month: CalendarMonth) -> String { "report:company:\(companyID):\(month)" }

    /// A company due a report for `month`: it had usage rows in the month.
    struct Subject: Sendable {
        var id: Int, month: CalendarMonth
        var name: String, billingEmail: String
        /// Its report exists already.
        var reported: Bool
    }

    /// Companies with usage in `month` (only `ids` when given), after `afterID`, and whether their
    /// report exists already.
    static func subjects(_ db: Connection, month: CalendarMonth, ids: [Int], afterID: Int, limit: Int) throws -> [Subject] {
        try db.query("""
            SELECT c.id, c.name, c.billing_email,
                   EXISTS (SELECT 1 FROM report r WHERE r.kind = 'company' AND r.subject_id = c.id AND r.month = $1::date) AS reported
              FROM company c
             WHERE c.id > $3 AND (cardinality($2::int8[]) = 0 OR c.id = ANY ($2::int8[]))
               AND EXISTS (SELECT 1 FROM usage_log u WHERE u.company_id = c.id AND u.usage_date BETWEEN $1::date AND $4::date)
             ORDER BY c.id LIMIT $5
            """, [month.firstDay, ids, afterID, month.lastDay, limit]).rows.map { row in
            Subject(id: try row.int("id"), month: month, name: try row.string("name"), billingEmail: try row.string("billing_email"),
                    reported: try row.bool("reported"))
        }
    }

    /// The reports of a page of companies, their invoices of the month included.
    static func make(_ db: Connection, month: CalendarMonth, subjects: [Subject]) throws -> [Int: CompanyReport] {
        let usage = try CompanyUsage.load(db, month: month, companies: subjects.map(\.id))
        var invoices: [Int: Invoice] = [:]
        for row in try db.query("""
            SELECT company_id, string_agg(invoice_number, ', ' ORDER BY invoice_number) AS numbers, sum(total_yen) AS total
              FROM invoice WHERE billing_month = $1::date AND company_id = ANY ($2::int8[]) GROUP BY company_id
            """, [month.firstDay, subjects.map(\.id)]).rows {
            invoices[try row.int("company_id")] = Invoice(number: try row.string("numbers"), totalYen: try row.int("total"))
        }
        return Dictionary(uniqueKeysWithValues: subjects.map { subject in
            (subject.id, CompanyReport(companyID: subject.id, companyName: subject.name, billingEmail: subject.billingEmail,
                                       month: month.description, usage: usage[subject.id] ?? CompanyUsage(companyID: subject.id),
                                       invoice: invoices[subject.id]))
        })
    }
}

/// The month's data is not all there: the report would have holes.
struct IncompleteMonth: Error, CustomStringConvertible {
    let what: String
    let missingDays: [String]
    let remedy: String
    var description: String {
        let shown = missingDays.prefix(5).joined(separator: ", ") + (missingDays.count > 5 ? " … (\(missingDays.count) days)" : "")
        return "\(what) is not complete: no data for \(shown); \(remedy)"
    }
}
