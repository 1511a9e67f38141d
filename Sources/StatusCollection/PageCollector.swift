import Foundation
import NightshiftCore
import Web

/// The result of fetching and parsing one business's listing (all its pages).
public struct CollectedListing: Sendable {
    public enum Outcome: Sendable {
        case success(casts: [ParsedCast], pages: Int, castsWithoutID: Int)
        case failure(error: String, attempts: Int)
    }
    public let business: DueBusiness
    public let outcome: Outcome
    public let httpStatus: Int?
    public let durationMS: Int
}

/// Fetches and parses listings on a pool of threads (one libcurl handle each, polite per host)
/// and hands each result to the caller's thread as soon as it is ready, so the caller can
/// store it while others are still downloading. At most `2 × concurrency` results wait in memory.
public struct PageCollector {
    let sites: SiteRegistry
    let settings: StatusCollectionSettings
    let logger: Logger

    public init(sites: SiteRegistry, settings: StatusCollectionSettings, logger: Logger) {
        self.sites = sites
        self.settings = settings
        self.logger = logger
    }

    public func collect(_ businesses: [DueBusiness], consume: (CollectedListing) throws -> Void) throws {
        guard !businesses.isEmpty else { return }
        let gate = HostGate(maxConnectionsPerHost: settings.fetch.maxConnectionsPerHost,
                            minDelaySeconds: settings.fetch.minDelayPerHostSeconds)
        let queue = HandOff<CollectedListing>(capacity: settings.concurrency * 2)
        let budget = BodyBudget()
        ProcessMemory.limitMallocArenas()
        let next = IndexDispenser(count: businesses.count)
        let workers = min(settings.concurrency, businesses.count)
        for _ in 0..<workers {
            let thread = Thread { [self] in
                let fetcher = PageFetcher(policy: settings.fetch, gate: gate, budget: budget)
                while let index = next.next(), !queue.isCancelled {
                    queue.put(collectOne(businesses[index], fetcher: fetcher))
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        defer { queue.cancel() }
        for _ in 0..<businesses.count {
            try consume(queue.take())
        }
    }

    func collectOne(_ business: DueBusiness, fetcher: PageFetcher) -> CollectedListing {
        let started = DispatchTime.now()
        func elapsed() -> Int { Int(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6) }
        guard let site = sites[business.site] else {
            return CollectedListing(business: business, outcome: .failure(error: "unknown site \"\(business.site)\"", attempts: 1),
                                    httpStatus: nil, durationMS: elapsed())
        }
        let parser = ListingParser(site: site)
        var url: String? = business.listingURL
        var visited = Set<String>()
        var casts = [ParsedCast]()
        var seenIDs = Set<String>()
        var withoutID = 0
        var pages = 0
        var lastStatus: Int?
        let classifier = RetryClassifier(isTransient: { ($0 as? FetchError)?.isTransient ?? false },
                                         requestedDelay: { ($0 as? FetchError)?.retryAfterSeconds })
        while let pageURL = url, pages < site.maxPages, visited.insert(pageURL).inserted {
            do {
                let (response, _) = try retrying(settings.retry, classifier, onRetry: { attempt, error, delay in
                    logger.warning("fetch failed, retrying", error: error, metadata: [
                        "business_id": .int(business.id), "url": .string(pageURL), "attempt": .int(attempt),
                        "delay_ms": .int(Int(delay * 1000))])
                }) { try fetcher.fetch(pageURL) }
                lastStatus = response.status
                let page = try parser.parse(response)
                pages += 1
                withoutID += page.castsWithoutID
                for cast in page.casts where seenIDs.insert(cast.siteCastID).inserted { casts.append(cast) }
                url = page.nextPageURL
            } catch {
                let attempts = (error as? RetryExhausted)?.attempts ?? 1
                let underlying = (error as? RetryExhausted)?.underlying ?? error
                if case .httpStatus(let status, _) = underlying as? FetchError { lastStatus = status }
                let message = pages == 0 ? "\(underlying)" : "page \(pages + 1) (\(pageURL)): \(underlying)"
                return CollectedListing(business: business, outcome: .failure(error: message, attempts: attempts),
                                        httpStatus: lastStatus, durationMS: elapsed())
            }
        }
        return CollectedListing(business: business, outcome: .success(casts: casts, pages: pages, castsWithoutID: withoutID),
                                httpStatus: lastStatus, durationMS: elapsed())
    }
}

/// A bounded queue from the worker threads to the consuming thread.
final class HandOff<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [T] = []
    private let capacity: Int
    private(set) var isCancelled = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func put(_ item: T) {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !isCancelled { condition.wait() }
        guard !isCancelled else { return }
        items.append(item)
        condition.broadcast()
    }

    func take() -> T {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        condition.broadcast()
        return items.removeFirst()
    }

    /// Lets blocked workers finish when the consumer stops early (e.g. the database went away).
    func cancel() {
        condition.lock(); isCancelled = true; condition.broadcast(); condition.unlock()
    }
}
