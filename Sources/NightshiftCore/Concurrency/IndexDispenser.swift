import Foundation

/// Hands out the indices `0..<count`, each once, to whichever worker asks first: workers that
/// finish early take more, so none sits idle while work is left.
public final class IndexDispenser: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var taken = 0

    public init(count: Int) { self.count = count }

    public func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}
