import Foundation

/// Every secret the process knows of, scrubbed from log lines, errors and console output.
public final class Secrets: @unchecked Sendable {
    public static let shared = Secrets()
    private let lock = NSLock()
    private var values: [String] = []

    public func register(_ secret: String?) {
        guard let secret, secret.count >= 3 else { return }
        lock.lock(); defer { lock.unlock() }
        if !values.contains(secret) { values.append(secret) }
        // URL-encoded forms may appear in echoed connection strings.
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret,
           !values.contains(encoded) { values.append(encoded) }
    }

    public func scrub(_ text: String) -> String {
        lock.lock(); let current = values; lock.unlock()
        var out = text
        for secret in current where out.contains(secret) { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }
}
