import Foundation

/// An email address as used in an SMTP envelope and a header: `local@domain`, with an optional
/// display name. Refuses anything that could break a header or an SMTP command (spaces, angle
/// brackets, control characters).
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    public init?(_ address: String, displayName: String? = nil) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), address.count <= 254,
              address.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && !"<>()[],;:\\\"".unicodeScalars.contains($0) })
        else { return nil }
        if let displayName, displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return nil }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The envelope form, `<local@domain>`.
    public var envelope: String { "<\(address)>" }
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// The header form: `Name <local@domain>`, the name RFC 2047-encoded when it is not plain ASCII,
    /// folded before the address when the line would be long.
    public var header: String {
        guard let displayName else { return address }
        let phrase = MIMEEncoding.phrase(displayName)
        let oneLine = "\(phrase) <\(address)>"
        return oneLine.count <= 70 && !phrase.contains("\r\n") ? oneLine : "\(phrase)\r\n <\(address)>"
    }

    public var description: String { address }
}
