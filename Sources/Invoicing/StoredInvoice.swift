import Foundation
import NightshiftCore
import Postgres

/// An invoice as stored: everything its document shows.
struct StoredInvoice: Sendable {
    var id: Int
    var number: String
    var billingMonth: String
    var periodStart: String
    var periodEnd: String
    var issueDate: String
    var dueDate: String
    var recipientName: String
    var recipientPostalCode: String
    var recipientAddress: String
    var recipientEmail: String
    var issuerName: String
    var issuerAddress: String
    var issuerRegistration: String
    var maxUsers: Int
    var maxEngineers: Int
    var subtotalYen: Int
    var taxRatePercent: Int
    var taxYen: Int
    var totalYen: Int
    var lines: [InvoiceLine]

    /// Invoices of a month after `afterID`, `limit` at a time: those not yet rendered, or all.
    static func page(_ db: Connection, month: CalendarMonth, unrenderedOnly: Bool, afterID: Int, limit: Int) throws -> [StoredInvoice] {
        var invoices = try db.query("""
            SELECT id, invoice_number, billing_month::text AS month, period_start::text AS ps, period_end::text AS pe,
                   issue_date::text AS issued, due_date::text AS due, recipient_name, recipient_postal_code,
                   recipient_address, recipient_email, issuer_name, issuer_address, issuer_registration,
                   max_users, max_engineers, subtotal_yen, tax_rate_percent, tax_yen, total_yen
              FROM invoice
             WHERE billing_month = $1::date AND id > $2 AND (NOT $3::bool OR rendered_at IS NULL)
             ORDER BY id LIMIT $4
            """, [month.firstDay, afterID, unrenderedOnly, limit]).rows.map { row in
            StoredInvoice(
                id: try row.int("id"), number: try row.string("invoice_number"), billingMonth: try row.string("month"),
                periodStart: try row.string("ps"), periodEnd: try row.string("pe"), issueDate: try row.string("issued"),
                dueDate: try row.string("due"), recipientName: try row.string("recipient_name"),
                recipientPostalCode: try row.string("recipient_postal_code"), recipientAddress: try row.string("recipient_address"),
                recipientEmail: try row.string("recipient_email"), issuerName: try row.string("issuer_name"),
                issuerAddress: try row.string("issuer_address"), issuerRegistration: try row.string("issuer_registration"),
                maxUsers: try row.int("max_users"), maxEngineers: try row.int("max_engineers"),
                subtotalYen: try row.int("subtotal_yen"), taxRatePercent: try row.int("tax_rate_percent"),
                taxYen: try row.int("tax_yen"), totalYen: try row.int("total_yen"), lines: [])
        }
        guard !invoices.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: invoices.enumerated().map { ($1.id, $0) })
        for row in try db.query("""
            SELECT invoice_id, description, quantity, unit_price_yen, amount_yen FROM invoice_line
             WHERE invoice_id = ANY ($1::int8[]) ORDER BY invoice_id, line_no
            """, [invoices.map(\.id)]).rows {
            guard let position = index[try row.int("invoice_id")] else { continue }
            invoices[position].lines.append(InvoiceLine(description: try row.string("description"), quantity: try row.int("quantity"),
                                                        unitPriceYen: try row.int("unit_price_yen"), amountYen: try row.int("amount_yen")))
        }
        return invoices
    }
}
