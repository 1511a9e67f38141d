import Documents
import Foundation
import NightshiftCore

/// `invoice.*` settings (env `INVOICE_*`) and `output.dir` (env `OUTPUT_DIR`).
public struct InvoiceSettings: Sendable {
    /// The seller, as printed on every invoice (a qualified invoice must name them).
    public struct Issuer: Sendable, Equatable {
        public var name: String
        public var address: String
        /// 適格請求書発行事業者登録番号: `T` and 13 digits.
        public var registrationNumber: String
    }

    /// How a contract that starts or ends during the month pays its base fee.
    public enum Proration: String, Sendable {
        /// The full base fee for any part of the month.
        case none
        /// base fee × billed days ÷ days in the month, rounded down to the yen.
        case daily
    }

    public var issuer: Issuer
    public var proration: Proration
    public var taxRatePercent: Int
    public var dueDays: Int
    public var numberPrefix: String
    public var outputDirectory: String
    public var timeZone: TimeZone

    public static func load(_ config: ConfigValues, core: CoreSettings) throws -> InvoiceSettings {
        let registrationKey = "invoice.issuer.registration_number"
        let registration = try config.requiredString(registrationKey)
        let checkDigit = try config.bool("invoice.issuer.check_digit", default: true)
        if let problem = RegistrationNumber.problem(registration, checkDigit: checkDigit) {
            throw ConfigurationError(key: registrationKey, source: config.source(of: registrationKey),
                                     expected: "\(problem), got \"\(registration)\"")
        }
        let prefix = try config.parsed("invoice.number_prefix", default: "INV", expected: "1 to 10 capital letters or digits") {
            (1...10).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) } ? $0 : nil
        }
        return InvoiceSettings(
            issuer: Issuer(name: try config.requiredString("invoice.issuer.name"),
                           address: try config.requiredString("invoice.issuer.address"),
                           registrationNumber: registration),
            proration: Proration(rawValue: try config.choice("invoice.proration", default: "none", among: ["none", "daily"]))!,
            taxRatePercent: try config.int("invoice.tax_rate_percent", default: 10, range: 0...100),
            dueDays: try config.int("invoice.due_days", default: 30, range: 0...365),
            numberPrefix: prefix,
            outputDirectory: try config.string("output.dir", default: "output"),
            timeZone: core.timeZone)
    }
}
