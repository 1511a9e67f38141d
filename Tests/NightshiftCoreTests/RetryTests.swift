import NightshiftCore
import XCTest

final class RetryTests: XCTestCase {
    struct Transient: Error {}
    struct Permanent: Error {}
    struct Throttled: Error { let after: Double }

    let classifier = RetryClassifier(isTransient: { $0 is Transient || $0 is Throttled },
                                     requestedDelay: { ($0 as? Throttled)?.after })

    func testBackoffShapes() {
        let fixed = RetryPolicy(backoff: .fixed, maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 10, jitter: 0)
        let linear = RetryPolicy(backoff: .linear, maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 5, jitter: 0)
        let exponential = RetryPolicy(backoff: .exponential, maxAttempts: 6, baseDelaySeconds: 1, maxDelaySeconds: 10, jitter: 0)
        XCTAssertEqual((2...5).map(fixed.nominalDelay), [2, 2, 2, 2])
        XCTAssertEqual((2...5).map(linear.nominalDelay), [2, 4, 5, 5])
        XCTAssertEqual((2...6).map(exponential.nominalDelay), [1, 2, 4, 8, 10])
        let jittered = RetryPolicy(backoff: .fixed, maxAttempts: 2, baseDelaySeconds: 10, maxDelaySeconds: 20, jitter: 0.2)
        XCTAssertEqual(jittered.delay(beforeAttempt: 2, random: 1), 12, accuracy: 1e-9)
        XCTAssertEqual(jittered.delay(beforeAttempt: 2, random: -1), 8, accuracy: 1e-9)
    }

    func testRetriesTransientUntilSuccess() throws {
        var calls = 0
        var slept = [Double]()
        let policy = RetryPolicy(backoff: .exponential, maxAttempts: 4, baseDelaySeconds: 1, maxDelaySeconds: 8, jitter: 0)
        let (value, attempts) = try retrying(policy, classifier, sleep: { slept.append($0) }) { () throws -> String in
            calls += 1
            if calls < 3 { throw Transient() }
            return "ok"
        }
        XCTAssertEqual(value, "ok")
        XCTAssertEqual(attempts, 3)
        XCTAssertEqual(slept, [1, 2])
    }

    func testPermanentFailsAtOnce() {
        var calls = 0
        let policy = RetryPolicy(backoff: .fixed, maxAttempts: 5, baseDelaySeconds: 0, maxDelaySeconds: 0, jitter: 0)
        XCTAssertThrowsError(try retrying(policy, classifier, sleep: { _ in }) { () throws -> Int in calls += 1; throw Permanent() }) {
            XCTAssertEqual(($0 as? RetryExhausted)?.attempts, 1)
        }
        XCTAssertEqual(calls, 1)
    }

    func testGivesUpAfterMaxAttempts() {
        var calls = 0
        let policy = RetryPolicy(backoff: .fixed, maxAttempts: 3, baseDelaySeconds: 0, maxDelaySeconds: 0, jitter: 0)
        XCTAssertThrowsError(try retrying(policy, classifier, sleep: { _ in }) { () throws -> Int in calls += 1; throw Transient() }) {
            XCTAssertEqual(($0 as? RetryExhausted)?.attempts, 3)
        }
        XCTAssertEqual(calls, 3)
    }

    func testHonoursRetryAfterAndRefusesOneBeyondMaxDelay() {
        var slept = [Double]()
        var calls = 0
        let policy = RetryPolicy(backoff: .fixed, maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 30, jitter: 0)
        _ = try? retrying(policy, classifier, sleep: { slept.append($0) }) { () throws -> Int in
            calls += 1
            if calls == 1 { throw Throttled(after: 7) }
            return 1
        }
        XCTAssertEqual(slept, [7])
        calls = 0
        XCTAssertThrowsError(try retrying(policy, classifier, sleep: { slept.append($0) }) { () throws -> Int in
            calls += 1; throw Throttled(after: 3600)
        })
        XCTAssertEqual(calls, 1, "a Retry-After beyond the maximum delay ends the retries")
    }

    func testRetryConfigIsValidated() async throws {
        let config = ConfigValues.inMemory(["JOB_RETRY_STRATEGY": "linear", "JOB_RETRY_MAX_ATTEMPTS": "6",
                                            "JOB_RETRY_BASE_DELAY_MS": "250", "JOB_RETRY_MAX_DELAY_MS": "1000",
                                            "JOB_RETRY_JITTER": "0.5"])
        let defaults = RetryPolicy(backoff: .fixed, maxAttempts: 1, baseDelaySeconds: 0, maxDelaySeconds: 0, jitter: 0)
        XCTAssertEqual(try RetryPolicy.load(from: config, prefix: "job.retry", defaults: defaults),
                       RetryPolicy(backoff: .linear, maxAttempts: 6, baseDelaySeconds: 0.25, maxDelaySeconds: 1, jitter: 0.5))
        let bad = ConfigValues.inMemory(["JOB_RETRY_STRATEGY": "random"])
        XCTAssertThrowsError(try RetryPolicy.load(from: bad, prefix: "job.retry", defaults: defaults)) {
            XCTAssertEqual(($0 as? ConfigurationError)?.key, "job.retry.strategy")
        }
    }
}
