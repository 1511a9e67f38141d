import Foundation

/// When and how often to try again. Used for database connections and page fetches alike.
public struct RetryPolicy: Sendable, Equatable {
    public enum Backoff: String, Sendable, CaseIterable { case fixed, linear, exponential }

    public var backoff: Backoff
    public var maxAttempts: Int
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double
    /// Fraction of each delay drawn at random (0 = none, 0.2 = ±20 %), so clients do not retry in step.
    public var jitter: Double

    public init(backoff: Backoff, maxAttempts: Int, baseDelaySeconds: Double, maxDelaySeconds: Double, jitter: Double) {
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.jitter = jitter
    }

    /// The delay before attempt `attempt` (2, 3, …), without jitter.
    public func nominalDelay(beforeAttempt attempt: Int) -> Double {
        let n = Double(max(1, attempt - 1))
        let raw: Double
        switch backoff {
        case .fixed: raw = baseDelaySeconds
        case .linear: raw = baseDelaySeconds * n
        case .exponential: raw = baseDelaySeconds * pow(2, n - 1)
        }
        return min(raw, maxDelaySeconds)
    }

    public func delay(beforeAttempt attempt: Int, random: Double = Double.random(in: -1...1)) -> Double {
        let nominal = nominalDelay(beforeAttempt: attempt)
        return min(maxDelaySeconds, max(0, nominal * (1 + jitter * random)))
    }

    /// Reads `<prefix>.strategy`, `.max_attempts`, `.base_delay_ms`, `.max_delay_ms`, `.jitter`.
    public static func load(from config: ConfigValues, prefix: String, defaults: RetryPolicy) throws -> RetryPolicy {
        let backoff = Backoff(rawValue: try config.choice("\(prefix).strategy", default: defaults.backoff.rawValue,
                                                          among: Backoff.allCases.map(\.rawValue)))!
        let attempts = try config.int("\(prefix).max_attempts", default: defaults.maxAttempts, range: 1...20)
        let base = try config.int("\(prefix).base_delay_ms", default: Int(defaults.baseDelaySeconds * 1000), range: 0...600_000)
        let maxDelay = try config.int("\(prefix).max_delay_ms", default: Int(defaults.maxDelaySeconds * 1000), range: 0...3_600_000)
        guard maxDelay >= base else {
            throw ConfigurationError(key: "\(prefix).max_delay_ms", source: config.source(of: "\(prefix).max_delay_ms"),
                                     expected: "at least \(prefix).base_delay_ms (\(base)), got \(maxDelay)")
        }
        let jitter = try config.double("\(prefix).jitter", default: defaults.jitter, range: 0...1)
        return RetryPolicy(backoff: backoff, maxAttempts: attempts, baseDelaySeconds: Double(base) / 1000,
                           maxDelaySeconds: Double(maxDelay) / 1000, jitter: jitter)
    }
}

/// An error that ended a retried operation, with the number of attempts made.
public struct RetryExhausted: Error, CustomStringConvertible {
    public let underlying: Error
    public let attempts: Int
    public var description: String {
        attempts > 1 ? "\(underlying) (after \(attempts) attempts)" : "\(underlying)"
    }
}

/// Classifies errors for `retrying`: whether another try may help, and a delay the other side asked for.
public struct RetryClassifier {
    public let isTransient: (Error) -> Bool
    public let requestedDelay: (Error) -> Double?

    public init(isTransient: @escaping (Error) -> Bool, requestedDelay: @escaping (Error) -> Double? = { _ in nil }) {
        self.isTransient = isTransient
        self.requestedDelay = requestedDelay
    }
}

/// Runs `body` until it succeeds, fails permanently, or attempts run out. A server-requested
/// delay (`Retry-After`) is honoured; one longer than the policy's maximum ends the retries
/// instead of hammering the server. Failures are rethrown wrapped in `RetryExhausted`.
public func retrying<T>(_ policy: RetryPolicy, _ classifier: RetryClassifier,
                        sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
                        onRetry: (_ attempt: Int, _ error: Error, _ delay: Double) -> Void = { _, _, _ in },
                        _ body: () throws -> T) throws -> (value: T, attempts: Int) {
    var attempt = 1
    while true {
        do {
            return (try body(), attempt)
        } catch {
            guard classifier.isTransient(error), attempt < policy.maxAttempts else {
                throw RetryExhausted(underlying: error, attempts: attempt)
            }
            var delay = policy.delay(beforeAttempt: attempt + 1)
            if let requested = classifier.requestedDelay(error) {
                guard requested <= policy.maxDelaySeconds else { throw RetryExhausted(underlying: error, attempts: attempt) }
                delay = max(delay, requested)
            }
            onRetry(attempt + 1, error, delay)
            sleep(delay)
            attempt += 1
        }
    }
}
