/// A bad command-line value discovered after parsing (e.g. `--now` needs the configured time
/// zone). The runner exits 64 with this message.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "usage error: \(message)" }
}
