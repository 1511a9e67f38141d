import Foundation
import NightshiftCore
import Web

/// An operator's HTTP endpoint — the alert webhook, the heartbeat, a Pushgateway: one connection,
/// no politeness delay (it is ours, not a site we sample).
struct OperatorEndpoint {
    /// A webhook's transient failures (a refused connection, a 5xx) are tried again at once, a few times.
    static let retry = RetryPolicy(backoff: .exponential, maxAttempts: 3, baseDelaySeconds: 0.5, maxDelaySeconds: 4, jitter: 0.2)

    let url: String
    private let fetcher = PageFetcher(policy: FetchPolicy(), gate: HostGate(maxConnectionsPerHost: 1, minDelaySeconds: 0))

    init(_ url: String) { self.url = url }

    /// POSTs JSON, retried with `retry`.
    func postJSON(_ body: [UInt8]) throws {
        let classifier = RetryClassifier(isTransient: { ($0 as? FetchError)?.isTransient ?? false })
        _ = try retrying(Self.retry, classifier) { try fetcher.post(url, body: body, contentType: "application/json") }
    }

    /// One POST, not retried (the next run posts again).
    func post(_ body: [UInt8], contentType: String) throws {
        _ = try fetcher.post(url, body: body, contentType: contentType)
    }

    /// One GET, not retried (the next run calls again).
    func get() throws {
        _ = try fetcher.fetch(url)
    }
}
