import Foundation
import Postgres

/// Opening connections the suite's way: retried while the server is unreachable.
public enum Database {
    public static var classifier: RetryClassifier {
        RetryClassifier(isTransient: { ($0 as? PostgresError)?.isTransient ?? false })
    }

    /// Connects, retrying transient failures with `policy`. Throws `RetryExhausted`.
    public static func connect(_ url: String, policy: RetryPolicy, applicationName: String,
                               logger: Logger? = nil) throws -> Connection {
        try retrying(policy, classifier, onRetry: { attempt, error, delay in
            logger?.warning("database unreachable, retrying", error: error,
                            metadata: ["attempt": .int(attempt), "delay_ms": .int(Int(delay * 1000))])
        }) {
            try Connection(url: url, applicationName: applicationName)
        }.value
    }

    /// A stable 64-bit advisory-lock key for a name (FNV-1a), the same on every host.
    public static func lockKey(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
