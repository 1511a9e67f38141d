import Foundation

/// Per-host politeness shared by all fetching threads: a cap on requests in flight to one host
/// and a minimum gap between the starts of two requests to it.
public final class HostGate: @unchecked Sendable {
    private let maxInFlight: Int
    private let minGap: Double
    private let condition = NSCondition()
    private var inFlight: [String: Int] = [:]
    private var nextStart: [String: Double] = [:]

    public init(maxConnectionsPerHost: Int, minDelaySeconds: Double) {
        self.maxInFlight = max(1, maxConnectionsPerHost)
        self.minGap = max(0, minDelaySeconds)
    }

    public func enter(host: String) {
        condition.lock()
        while inFlight[host, default: 0] >= maxInFlight { condition.wait() }
        inFlight[host, default: 0] += 1
        let now = monotonicSeconds()
        let startAt = max(now, nextStart[host] ?? now)
        nextStart[host] = startAt + minGap
        condition.unlock()
        if startAt > now { Thread.sleep(forTimeInterval: startAt - now) }
    }

    public func leave(host: String) {
        condition.lock()
        inFlight[host, default: 1] -= 1
        condition.broadcast()
        condition.unlock()
    }
}

func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
