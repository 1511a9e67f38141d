/// An invalid or missing setting: names the key, where the value came from and what was expected.
/// Never carries a secret value.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let source: String
    public let expected: String

    public init(key: String, source: String, expected: String) {
        self.key = key
        self.source = source
        self.expected = expected
    }

    public var description: String { "configuration error: \(key) (\(source)): expected \(expected)" }
}
