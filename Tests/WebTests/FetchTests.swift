import Foundation
import TestSupport
import Web
import XCTest

final class FetchTests: XCTestCase {
    var policy: FetchPolicy = {
        var p = FetchPolicy()
        p.minDelayPerHostSeconds = 0
        p.totalTimeoutSeconds = 2
        return p
    }()

    func fetch(_ url: String, _ policy: FetchPolicy? = nil) throws -> HTTPResponse {
        let p = policy ?? self.policy
        return try PageFetcher(policy: p, gate: HostGate(maxConnectionsPerHost: 2, minDelaySeconds: 0)).fetch(url)
    }

    func expectFailure(_ url: String, _ policy: FetchPolicy? = nil, file: StaticString = #filePath, line: UInt = #line,
                       _ check: (FetchError) -> Void) {
        XCTAssertThrowsError(try fetch(url, policy), file: file, line: line) { error in
            guard let fetchError = error as? FetchError else { return XCTFail("not a FetchError: \(error)", file: file, line: line) }
            check(fetchError)
        }
    }

    func testFetchesAPageAndItsContentType() throws {
        let site = try FixtureSite()
        let url = try site.put("a.html", html: "<html><body>hello</body></html>",
                               headers: ["Content-Type": "text/html; charset=UTF-8"])
        let response = try fetch(url)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.contentType, "text/html; charset=UTF-8")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "<html><body>hello</body></html>")
    }

    func testDecompressesGzip() throws {
        let site = try FixtureSite()
        let body = String(repeating: "<p>待機中</p>", count: 500)
        try site.put("z.html", html: body)
        let url = TestEnvironment.httpBase + "/_gzip/" + URL(string: site.baseURL)!.lastPathComponent + "/z.html"
        XCTAssertEqual(String(decoding: try fetch(url).body, as: UTF8.self), body)
    }

    func testHTTPErrorsAndWhichAreTransient() {
        let base = TestEnvironment.httpBase
        expectFailure(base + "/_status/404") { XCTAssertEqual($0, .httpStatus(404, retryAfterSeconds: nil)); XCTAssertFalse($0.isTransient) }
        expectFailure(base + "/_status/500") { XCTAssertTrue($0.isTransient) }
        expectFailure(base + "/_status/429?retry_after=7") {
            XCTAssertTrue($0.isTransient)
            XCTAssertEqual($0.retryAfterSeconds, 7)
        }
    }

    func testTimeoutIsTransient() {
        var p = policy
        p.totalTimeoutSeconds = 0.5
        expectFailure(TestEnvironment.httpBase + "/_slow?seconds=3", p) {
            guard case .transport(let code, _, let transient) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(code, 28)
            XCTAssertTrue(transient)
        }
    }

    func testConnectionRefusedIsTransient() {
        expectFailure("http://127.0.0.1:1/") { XCTAssertTrue($0.isTransient) }
    }

    func testRedirectLoopStopsAfterFive() {
        expectFailure(TestEnvironment.httpBase + "/_redirect_loop/0") { XCTAssertEqual($0, .tooManyRedirects(limit: 5)) }
    }

    func testSizeCap() {
        var p = policy
        p.maxBytes = 1024 * 1024
        expectFailure(TestEnvironment.httpBase + "/_huge?mb=2", p) { XCTAssertEqual($0, .tooLarge(limitBytes: 1024 * 1024)) }
    }

    func testFileURLsOnlyWhenAllowed() throws {
        let site = try FixtureSite()
        try site.put("f.html", html: "<html></html>")
        let url = "file://" + site.directory + "/f.html"
        expectFailure(url) { XCTAssertEqual($0, .disallowedScheme("file")) }
        expectFailure("ftp://127.0.0.1/x") { XCTAssertEqual($0, .disallowedScheme("ftp")) }
        var p = policy
        p.allowFileURLs = true
        XCTAssertEqual(String(decoding: try fetch(url, p).body, as: UTF8.self), "<html></html>")
    }

    func testHostGateLimitsConcurrencyAndSpacesRequests() {
        let gate = HostGate(maxConnectionsPerHost: 2, minDelaySeconds: 0.1)
        let lock = NSLock()
        var inFlight = 0, peak = 0
        var starts = [Double]()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            gate.enter(host: "h")
            lock.lock(); inFlight += 1; peak = max(peak, inFlight); starts.append(Date().timeIntervalSince1970); lock.unlock()
            Thread.sleep(forTimeInterval: 0.05)
            lock.lock(); inFlight -= 1; lock.unlock()
            gate.leave(host: "h")
        }
        XCTAssertLessThanOrEqual(peak, 2)
        let sorted = starts.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, 0.09) }
    }

    /// Eight 4.9 MB pages fetched at once peaked at 225 MiB: a large body now waits for the one
    /// permit, held until the response before it is dropped (parsed), while small pages pass.
    func testOnlyOneLargeBodyIsHeldAtATime() throws {
        let site = try FixtureSite()
        let large = try site.put("large.html", html: String(repeating: "<p>x</p>", count: 300_000))  // 2.4 MB
        let small = try site.put("small.html", html: "<p>small</p>")
        var p = policy
        p.totalTimeoutSeconds = 20
        let budget = BodyBudget(smallBodyBytes: 1 << 20)
        let gate = HostGate(maxConnectionsPerHost: 4, minDelaySeconds: 0)
        var first: HTTPResponse? = try PageFetcher(policy: p, gate: gate, budget: budget).fetch(large)
        XCTAssertEqual(first?.body.count, 2_400_000)

        let secondDone = DispatchSemaphore(value: 0)
        let fetcher = PageFetcher(policy: p, gate: gate, budget: budget)
        nonisolated(unsafe) var second: HTTPResponse?
        Thread.detachNewThread {
            second = try? fetcher.fetch(large)
            secondDone.signal()
        }
        try withExtendedLifetime(first) {
            XCTAssertEqual(try PageFetcher(policy: p, gate: gate, budget: budget).fetch(small).body.count, 12, "small pages pass")
            XCTAssertEqual(secondDone.wait(timeout: .now() + 1), .timedOut, "the second large body waits while the first is held")
        }
        first = nil
        XCTAssertEqual(secondDone.wait(timeout: .now() + 10), .success, "and goes on once it is dropped")
        XCTAssertEqual(second?.body.count, 2_400_000)
    }
}
