import Foundation
import NightshiftCore
import Web

/// `status_collection.*` settings (env `STATUS_COLLECTION_*`), with their defaults.
public struct StatusCollectionSettings: Sendable {
    public var intervalMinutes: Int
    public var bufferMinutes: Int
    public var concurrency: Int
    public var fetch: FetchPolicy
    public var retry: RetryPolicy
    public var sitesDirectory: String?

    public static func load(_ config: ConfigValues, core: CoreSettings) throws -> StatusCollectionSettings {
        let prefix = "status_collection"
        var fetch = FetchPolicy()
        fetch.connectTimeoutSeconds = Double(try config.int("\(prefix).connect_timeout_ms", default: 10_000, range: 100...120_000)) / 1000
        fetch.totalTimeoutSeconds = Double(try config.int("\(prefix).timeout_ms", default: 30_000, range: 100...600_000)) / 1000
        fetch.maxBytes = try config.int("\(prefix).max_page_bytes", default: 5 * 1024 * 1024, range: 1024...100 * 1024 * 1024)
        fetch.maxConnectionsPerHost = try config.int("\(prefix).per_host_connections", default: 2, range: 1...32)
        fetch.minDelayPerHostSeconds = Double(try config.int("\(prefix).per_host_delay_ms", default: 500, range: 0...60_000)) / 1000
        fetch.allowFileURLs = try config.bool("\(prefix).allow_file_urls", default: false)
        fetch.userAgent = try config.string("\(prefix).user_agent", default: fetch.userAgent)
        return StatusCollectionSettings(
            intervalMinutes: core.statusCollectionIntervalMinutes,
            bufferMinutes: try config.int("\(prefix).buffer_minutes", default: 30, range: 0...240),
            concurrency: try config.int("\(prefix).concurrency", default: 8, range: 1...64),
            fetch: fetch,
            retry: try RetryPolicy.load(from: config, prefix: "\(prefix).retry",
                                        defaults: RetryPolicy(backoff: .exponential, maxAttempts: 3, baseDelaySeconds: 2,
                                                              maxDelaySeconds: 30, jitter: 0.2)),
            sitesDirectory: try config.optionalString("\(prefix).sites_dir"))
    }
}
