import Foundation
import NightshiftCore

/// A new invoice, computed but not yet stored.
struct InvoiceDraft {
    var candidate: InvoiceCandidate
    var number: String
    var amounts: InvoiceAmounts

    var itemKey: String { InvoiceDraft.itemKey(candidate.contractID, month: month) }
    var month: CalendarMonth
    /// The contract and the month: a later month's success must not close an earlier month's failure.
    static func itemKey(_ contractID: Int, month: CalendarMonth) -> String { "contract:\(contractID):\(month)" }

    /// Refuses what cannot be billed correctly: no plan, no or incomplete usage, bad values.
    static func make(_ candidate: InvoiceCandidate, month: CalendarMonth, settings: InvoiceSettings) throws -> InvoiceDraft {
        guard let plan = candidate.plan else {
            throw InvoiceProblem("contract \(candidate.contractID) has no plan")
        }
        guard candidate.usageDays > 0, let users = candidate.maxUsers, let engineers = candidate.maxEngineers else {
            throw InvoiceProblem("no usage_log rows for company \(candidate.companyID) from \(candidate.periodStart) to \(candidate.periodEnd)")
        }
        guard candidate.usageDays == candidate.periodDays else {
            throw InvoiceProblem("usage_log has \(candidate.usageDays) of the \(candidate.periodDays) days from \(candidate.periodStart) " +
                                 "to \(candidate.periodEnd) for company \(candidate.companyID) (run usage-aggregate for the missing days)")
        }
        let period = BilledPeriod(start: candidate.periodStart, end: candidate.periodEnd, monthDays: month.dayCount)
        let amounts = try InvoiceAmounts.compute(plan: plan, maxUsers: users, maxEngineers: engineers,
                                                 taxRatePercent: settings.taxRatePercent, period: period,
                                                 proration: settings.proration)
        let number = InvoiceNumber.make(prefix: settings.numberPrefix, month: month, companyID: candidate.companyID,
                                        contractID: candidate.contractID)
        return InvoiceDraft(candidate: candidate, number: number, amounts: amounts, month: month)
    }
}
