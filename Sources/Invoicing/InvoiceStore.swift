import Foundation
import NightshiftCore
import Postgres

/// Stores new invoices set-based: the drafts are COPYed into temporary tables, then one
/// statement inserts the invoices that do not exist yet (the unique key per contract and month
/// makes this exactly once) together with their lines.
enum InvoiceStore {
    struct Constants {
        var month: CalendarMonth
        var issueDate: String
        var dueDays: Int
        var issuer: InvoiceSettings.Issuer
        var runID: Int64
    }

    static let invoiceColumns = ["invoice_number", "contract_id", "company_id", "period_start", "period_end",
                                 "recipient_name", "recipient_postal_code", "recipient_address", "recipient_email",
                                 "plan_name", "max_users", "max_engineers", "subtotal_yen", "tax_rate_percent",
                                 "tax_yen", "total_yen"]
    static let lineColumns = ["contract_id", "line_no", "description", "quantity", "unit_price_yen", "amount_yen",
                              "tax_rate_percent"]

    /// Returns how many invoices were inserted.
    static func insert(_ drafts: [InvoiceDraft], constants: Constants, db: Connection) throws -> Int {
        guard !drafts.isEmpty else { return 0 }
        return try db.transaction {
            try db.execute(script: """
                CREATE TEMP TABLE new_invoice (
                    invoice_number text, contract_id bigint, company_id bigint, period_start date, period_end date,
                    recipient_name text, recipient_postal_code text, recipient_address text, recipient_email text,
                    plan_name text, max_users integer, max_engineers integer, subtotal_yen bigint,
                    tax_rate_percent integer, tax_yen bigint, total_yen bigint) ON COMMIT DROP;
                CREATE TEMP TABLE new_invoice_line (
                    contract_id bigint, line_no integer, description text, quantity integer, unit_price_yen bigint,
                    amount_yen bigint, tax_rate_percent integer) ON COMMIT DROP;
                """)
            try db.copyIn(table: "new_invoice", columns: invoiceColumns, rows: drafts.lazy.map { draft -> [PostgresEncodable?] in
                let c = draft.candidate, a = draft.amounts
                return [draft.number, c.contractID, c.companyID, c.periodStart, c.periodEnd, c.companyName, c.postalCode,
                        c.address, c.email, c.plan?.name ?? "", c.maxUsers ?? 0, c.maxEngineers ?? 0, a.subtotalYen,
                        a.taxRatePercent, a.taxYen, a.totalYen]
            })
            try db.copyIn(table: "new_invoice_line", columns: lineColumns, rows: drafts.lazy.flatMap { draft in
                draft.amounts.lines.enumerated().map { index, line -> [PostgresEncodable?] in
                    [draft.candidate.contractID, index + 1, line.description, line.quantity, line.unitPriceYen,
                     line.amountYen, draft.amounts.taxRatePercent]
                }
            })
            let inserted = try db.query("""
                WITH inserted AS (
                    INSERT INTO invoice (\(invoiceColumns.joined(separator: ", ")), billing_month, issue_date, due_date,
                                         issuer_name, issuer_address, issuer_registration, run_id)
                    SELECT \(invoiceColumns.joined(separator: ", ")), $1::date, $2::date, $2::date + $3::int,
                           $4, $5, $6, $7
                      FROM new_invoice
                    ON CONFLICT (contract_id, billing_month) DO NOTHING
                    RETURNING id, contract_id
                ), lines AS (
                    INSERT INTO invoice_line (invoice_id, line_no, description, quantity, unit_price_yen, amount_yen, tax_rate_percent)
                    SELECT i.id, l.line_no, l.description, l.quantity, l.unit_price_yen, l.amount_yen, l.tax_rate_percent
                      FROM new_invoice_line l JOIN inserted i USING (contract_id)
                )
                SELECT count(*) AS n FROM inserted
                """, [constants.month.firstDay, constants.issueDate, constants.dueDays, constants.issuer.name,
                      constants.issuer.address, constants.issuer.registrationNumber, constants.runID])
            return try inserted.first!.int("n")
        }
    }
}
