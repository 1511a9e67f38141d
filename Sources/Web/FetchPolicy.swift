/// How pages are fetched: timeouts, limits and manners. One value per job run.
public struct FetchPolicy: Sendable {
    public var connectTimeoutSeconds: Double = 10
    public var totalTimeoutSeconds: Double = 30
    public var maxRedirects = 5
    public var maxBytes = 5 * 1024 * 1024
    public var userAgent = "Nightshift/1.0 (+status-collect)"
    /// `file://` is refused unless an operator allows it explicitly.
    public var allowFileURLs = false
    /// Politeness per host: at most this many requests at once …
    public var maxConnectionsPerHost = 2
    /// … and at least this long between the starts of two requests to the host.
    public var minDelayPerHostSeconds: Double = 0.5

    public init() {}
}
