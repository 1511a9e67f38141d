import Foundation

/// Bounds the memory that concurrent fetches hold, whatever the pages: every fetch may keep a
/// body of up to `smallBodyBytes` on its own; a body growing past that must first take the one
/// large-body permit, and keeps it — through parsing, as long as its `HTTPResponse` lives — so
/// at most one large page (its bytes and its parsed tree) is in memory at a time. A fetch
/// waiting for the permit holds no more than `smallBodyBytes`, and the permit's holder never
/// waits for anything, so waiting cannot deadlock. (The size cap, `max_page_bytes`, still
/// applies to every page.)
public final class BodyBudget: @unchecked Sendable {
    public let smallBodyBytes: Int
    private let condition = NSCondition()
    private var taken = false

    public init(smallBodyBytes: Int = 1 << 20) {
        self.smallBodyBytes = smallBodyBytes
    }

    /// Blocks until the large-body permit is free, then takes it.
    func takeLargePermit() -> LargeBodyPermit {
        condition.lock()
        while taken { condition.wait() }
        taken = true
        condition.unlock()
        return LargeBodyPermit(budget: self)
    }

    fileprivate func release() {
        condition.lock()
        taken = false
        condition.signal()
        condition.unlock()
    }
}

/// Held by a large body (and the response carrying it); given back when the last holder is gone.
final class LargeBodyPermit: @unchecked Sendable {
    private let budget: BodyBudget
    fileprivate init(budget: BodyBudget) { self.budget = budget }
    deinit { budget.release() }
}
