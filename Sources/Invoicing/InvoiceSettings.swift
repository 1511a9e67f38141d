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

    public var issuer: Issuer
    public var taxRatePercent: Int
    public var dueDays: Int
    public var numberPrefix: String
    public var outputDirectory: String
    public var timeZone: TimeZone

    public static func load(_ config: ConfigValues, core: CoreSettings) throws -> InvoiceSettings {
        func required(_ key: String, expected: String) throws -> String {
            guard let value = try config.optionalString(key)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw ConfigurationError(key: key, source: config.source(of: key), expected: expected)
            }
            return value
        }
        let registration = try required("invoice.issuer.registration_number", expected: "T followed by 13 digits (e.g. T1234567890123)")
        guard isRegistrationNumber(registration) else {
            throw ConfigurationError(key: "invoice.issuer.registration_number", source: config.source(of: "invoice.issuer.registration_number"),
                                     expected: "T followed by 13 digits (e.g. T1234567890123)")
        }
        let prefix = try config.string("invoice.number_prefix", default: "INV")
        guard (1...10).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
            throw ConfigurationError(key: "invoice.number_prefix", source: config.source(of: "invoice.number_prefix"),
                                     expected: "1 to 10 capital letters or digits")
        }
        return InvoiceSettings(
            issuer: Issuer(name: try required("invoice.issuer.name", expected: "the issuing company's name"),
                           address: try required("invoice.issuer.address", expected: "the issuing company's address"),
                           registrationNumber: registration),
            taxRatePercent: try config.int("invoice.tax_rate_percent", default: 10, range: 0...100),
            dueDays: try config.int("invoice.due_days", default: 30, range: 0...365),
            numberPrefix: prefix,
            outputDirectory: try config.string("output.dir", default: "output"),
            timeZone: core.timeZone)
    }

    static func isRegistrationNumber(_ text: String) -> Bool {
        text.count == 14 && text.first == "T" && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
