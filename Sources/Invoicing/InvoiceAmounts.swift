/// A contract plan's prices, integer yen.
public struct ContractPlan: Sendable, Equatable {
    public var name: String
    /// What invoices call it (`contract_plan.display_name`, else its name).
    public var displayName: String
    public var basePriceYen: Int
    public var includedUsers: Int
    public var pricePerUserYen: Int
    public var includedEngineers: Int
    public var pricePerEngineerYen: Int

    public init(name: String, displayName: String? = nil, basePriceYen: Int, includedUsers: Int, pricePerUserYen: Int,
                includedEngineers: Int, pricePerEngineerYen: Int) {
        self.name = name
        self.displayName = displayName ?? name
        self.basePriceYen = basePriceYen
        self.includedUsers = includedUsers
        self.pricePerUserYen = pricePerUserYen
        self.includedEngineers = includedEngineers
        self.pricePerEngineerYen = pricePerEngineerYen
    }
}

public struct InvoiceLine: Sendable, Equatable {
    public var description: String
    public var quantity: Int
    public var unitPriceYen: Int
    public var amountYen: Int
}

/// Why an invoice cannot be computed; recorded as the contract's item failure.
public struct InvoiceProblem: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An invoice's money, all integer yen: the base fee, extra users and extra engineers, one
/// subtotal at one tax rate, the tax on that subtotal rounded down once (the qualified-invoice
/// rule: once per invoice per rate, never per line), and the total.
public struct InvoiceAmounts: Sendable, Equatable {
    public var lines: [InvoiceLine]
    public var subtotalYen: Int
    public var taxRatePercent: Int
    public var taxYen: Int
    public var totalYen: Int

    /// `period` nil: the whole month. With `.daily` proration a part of a month pays the base fee
    /// × billed days ÷ days in the month, rounded down to the yen.
    public static func compute(plan: ContractPlan, maxUsers: Int, maxEngineers: Int, taxRatePercent: Int,
                               period: BilledPeriod? = nil, proration: InvoiceSettings.Proration = .none) throws -> InvoiceAmounts {
        let values = [("base_price_yen", plan.basePriceYen), ("included_users", plan.includedUsers),
                      ("price_per_user_yen", plan.pricePerUserYen), ("included_engineers", plan.includedEngineers),
                      ("price_per_engineer_yen", plan.pricePerEngineerYen), ("max users", maxUsers),
                      ("max engineers", maxEngineers)]
        if let (name, value) = values.first(where: { $0.1 < 0 }) {
            throw InvoiceProblem("plan \(plan.name): \(name) is negative (\(value))")
        }
        let extraUsers = max(0, maxUsers - plan.includedUsers)
        let extraEngineers = max(0, maxEngineers - plan.includedEngineers)
        var lines = [try baseFee(plan, period: proration == .daily ? period : nil)]
        if extraUsers > 0 {
            lines.append(InvoiceLine(description: "追加ユーザー(\(plan.includedUsers)名超過分)", quantity: extraUsers,
                                     unitPriceYen: plan.pricePerUserYen,
                                     amountYen: try product(extraUsers, plan.pricePerUserYen)))
        }
        if extraEngineers > 0 {
            lines.append(InvoiceLine(description: "追加エンジニア(\(plan.includedEngineers)名超過分)", quantity: extraEngineers,
                                     unitPriceYen: plan.pricePerEngineerYen,
                                     amountYen: try product(extraEngineers, plan.pricePerEngineerYen)))
        }
        let subtotal = try lines.reduce(0) { try sum($0, $1.amountYen) }
        let tax = try product(subtotal, taxRatePercent) / 100
        return InvoiceAmounts(lines: lines, subtotalYen: subtotal, taxRatePercent: taxRatePercent, taxYen: tax,
                              totalYen: try sum(subtotal, tax))
    }

    static func baseFee(_ plan: ContractPlan, period: BilledPeriod?) throws -> InvoiceLine {
        guard let period, period.days < period.monthDays else {
            return InvoiceLine(description: "基本料金(\(plan.displayName))", quantity: 1,
                               unitPriceYen: plan.basePriceYen, amountYen: plan.basePriceYen)
        }
        let prorated = try product(plan.basePriceYen, period.days) / period.monthDays
        return InvoiceLine(description: "基本料金(\(plan.displayName) \(period.shortRange) 日割 \(period.days)/\(period.monthDays)日)",
                           quantity: 1, unitPriceYen: prorated, amountYen: prorated)
    }

    static func product(_ a: Int, _ b: Int) throws -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw InvoiceProblem("amount overflows: \(a) × \(b)") }
        return value
    }

    static func sum(_ a: Int, _ b: Int) throws -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        if overflow { throw InvoiceProblem("amount overflows: \(a) + \(b)") }
        return value
    }
}

/// The days of a billing month a contract is billed for: from its start (or the 1st) to its end
/// (or the month's last day), both included.
public struct BilledPeriod: Sendable, Equatable {
    public var start: String
    public var end: String
    public var monthDays: Int

    public init(start: String, end: String, monthDays: Int) {
        self.start = start
        self.end = end
        self.monthDays = monthDays
    }

    public var days: Int { BilledPeriod.day(end) - BilledPeriod.day(start) + 1 }
    /// `10/15〜10/31`.
    public var shortRange: String { "\(BilledPeriod.monthDay(start))〜\(BilledPeriod.monthDay(end))" }

    static func day(_ iso: String) -> Int { Int(iso.suffix(2)) ?? 0 }
    static func monthDay(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 ? "\(parts[1])/\(parts[2])" : iso
    }
}
