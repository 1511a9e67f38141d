/// A contract plan's prices, integer yen.
public struct ContractPlan: Sendable, Equatable {
    public var name: String
    public var basePriceYen: Int
    public var includedUsers: Int
    public var pricePerUserYen: Int
    public var includedEngineers: Int
    public var pricePerEngineerYen: Int

    public init(name: String, basePriceYen: Int, includedUsers: Int, pricePerUserYen: Int,
                includedEngineers: Int, pricePerEngineerYen: Int) {
        self.name = name
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

    public static func compute(plan: ContractPlan, maxUsers: Int, maxEngineers: Int, taxRatePercent: Int) throws -> InvoiceAmounts {
        let values = [("base_price_yen", plan.basePriceYen), ("included_users", plan.includedUsers),
                      ("price_per_user_yen", plan.pricePerUserYen), ("included_engineers", plan.includedEngineers),
                      ("price_per_engineer_yen", plan.pricePerEngineerYen), ("max users", maxUsers),
                      ("max engineers", maxEngineers)]
        if let (name, value) = values.first(where: { $0.1 < 0 }) {
            throw InvoiceProblem("plan \(plan.name): \(name) is negative (\(value))")
        }
        let extraUsers = max(0, maxUsers - plan.includedUsers)
        let extraEngineers = max(0, maxEngineers - plan.includedEngineers)
        var lines = [InvoiceLine(description: "基本料金(\(plan.name))", quantity: 1,
                                 unitPriceYen: plan.basePriceYen, amountYen: plan.basePriceYen)]
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
