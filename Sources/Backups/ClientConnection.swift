import Foundation
import NightshiftCore

/// How pg_dump / pg_restore reach a database: a connection string without the password (it
/// goes in argv, which any local user may read in /proc) and the password for the child's
/// environment (`PGPASSWORD`, readable only by the same user).
public struct ClientConnection: Sendable {
    public let connectionString: String
    public let password: String?

    public var environment: [String: String] { password.map { ["PGPASSWORD": $0] } ?? [:] }

    /// From `DATABASE_URL` (URL or key=value form), optionally pointing at another database.
    public init(databaseURL: String, database: String? = nil) {
        let (connectionString, password) = DatabaseURL.split(databaseURL, database: database)
        self.init(connectionString: connectionString, password: password)
    }

    init(connectionString: String, password: String?) {
        self.connectionString = connectionString
        self.password = password
    }
}
