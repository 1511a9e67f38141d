/// An error from the server or the connection, carrying the SQLSTATE when there is one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case connection, server, protocolViolation, decoding }

    public let kind: Kind
    public let sqlState: String?
    public let message: String
    public let detail: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    /// Worth trying again: the connection broke, or the server asked us to retry
    /// (serialization failure, deadlock, shutdown, too many connections).
    public var isTransient: Bool {
        if kind == .connection { return !isAuthenticationFailure && !isMissingDatabase }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || ["40001", "40P01", "57P01", "57P02", "57P03", "53300"].contains(state)
    }

    /// The database named in the connection settings does not exist: retrying cannot help.
    public var isMissingDatabase: Bool {
        sqlState == "3D000" || (message.contains("database \"") && message.contains("does not exist"))
    }

    /// Bad password or unknown role: retrying cannot help.
    public var isAuthenticationFailure: Bool {
        if let state = sqlState, state == "28P01" || state == "28000" { return true }
        return message.contains("password authentication failed") || message.contains("no password supplied")
            || (message.contains("role") && message.contains("does not exist"))
    }

    public var description: String {
        var text = message
        if let sqlState { text = "[\(sqlState)] " + text }
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }
}
