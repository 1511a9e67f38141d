import Foundation
import Postgres

/// A step of a job over items, in the spirit of a chunk-oriented batch step: the core owns the
/// loop, the unit of work around each item (or chunk), the one rule for what is an item's failure
/// and what ends the run, the dead letters (recorded on failure, resolved on success) and the
/// counts; the job gives only what to do with an item.
public struct ItemStep<Item> {
    /// Short, for logs and the ledger's metadata (`<name>_ok`, `<name>_failed`).
    public var name: String
    /// The log message for a failed item ("rate calculation failed").
    public var failureMessage: String
    /// Dead-letter keys of an item (several when an item stands for several periods).
    public var keys: (Item) -> [String]
    /// How the stderr summary names an item ("business 3").
    public var label: (Item) -> String
    /// Log fields naming an item.
    public var fields: (Item) -> Logger.Metadata
    /// Whether an item interrupted by a lost connection is done again after reconnecting. Not
    /// for work with an effect outside the database (a mail sent): the run stops instead.
    public var isRepeatable: Bool

    public init(name: String, failureMessage: String, keys: @escaping (Item) -> [String], label: @escaping (Item) -> String,
                fields: @escaping (Item) -> Logger.Metadata = { _ in [:] }, isRepeatable: Bool = true) {
        self.name = name
        self.failureMessage = failureMessage
        self.keys = keys
        self.label = label
        self.fields = fields
        self.isRepeatable = isRepeatable
    }

    /// The one rule: an error fails its item, unless it means the run cannot go on — the database
    /// unreachable even after reconnecting, a configuration error, the job's lock lost, a stop signal.
    public static func endsRun(_ error: Error) -> Bool {
        if error is ConfigurationError || error is LostJobLock || error is Interrupted { return true }
        if let exhausted = error as? RetryExhausted { return endsRun(exhausted.underlying) }
        if let postgres = error as? PostgresError { return postgres.isTransient }
        return false
    }
}

extension JobContext {
    /// Each item as one unit of work (reconnecting after a lost connection). A failed item is
    /// logged, counted and recorded under its keys; the others go on. A succeeded item resolves
    /// its keys. Returns the step's counts, also added to `summary`.
    @discardableResult
    public func run<Item>(_ step: ItemStep<Item>, _ items: [Item], into summary: inout JobSummary,
                          _ process: (Item) throws -> Void) throws -> (ok: Int, failed: Int) {
        var counts = (ok: 0, failed: 0)
        for item in items {
            try StopRequest.check()
            do {
                if step.isRepeatable {
                    try unitOfWork("\(step.name) \(step.label(item))") { try process(item) }
                } else {
                    try process(item)
                }
                try failures?.resolve(itemKeys: step.keys(item))
                counts.ok += 1
                progress.ok += 1
            } catch where !ItemStep<Item>.endsRun(error) {
                try fail(item, step, error: error, into: &summary)
                counts.failed += 1
                progress.failed += 1
            }
        }
        record(step, counts, into: &summary)
        return counts
    }

    /// A chunk: `prepare` each item without writing (a thrown error fails that item), then
    /// `write` what was prepared as one unit of work; the written items resolve their keys.
    @discardableResult
    public func runChunk<Item, Prepared>(_ step: ItemStep<Item>, _ items: [Item], into summary: inout JobSummary,
                                         prepare: (Item) throws -> Prepared, write: ([Prepared]) throws -> Void)
    throws -> (ok: Int, failed: Int) {
        var prepared: [(item: Item, value: Prepared)] = []
        var failed = 0
        for item in items {
            try StopRequest.check()
            do {
                prepared.append((item, try prepare(item)))
            } catch where !ItemStep<Item>.endsRun(error) {
                try fail(item, step, error: error, into: &summary)
                failed += 1
                progress.failed += 1
            }
        }
        if !prepared.isEmpty {
            try unitOfWork("\(step.name) \(step.label(prepared[0].item)) …") { try write(prepared.map(\.value)) }
            try failures?.resolve(itemKeys: prepared.flatMap { step.keys($0.item) })
            progress.ok += prepared.count
        }
        let counts = (ok: prepared.count, failed: failed)
        record(step, counts, into: &summary)
        return counts
    }

    private func fail<Item>(_ item: Item, _ step: ItemStep<Item>, error: Error, into summary: inout JobSummary) throws {
        let reason = "\(error)"
        summary.itemsFailed += 1
        summary.failedItems.append("\(step.label(item)): \(reason)")
        var fields = step.fields(item)
        fields["reason"] = .string(reason)
        logger.error("\(step.failureMessage)", metadata: fields)
        let attempts = (error as? AttemptedError)?.attempts ?? 1
        for key in step.keys(item) { try failures?.record(itemKey: key, error: reason, attempts: attempts) }
    }

    private func record<Item>(_ step: ItemStep<Item>, _ counts: (ok: Int, failed: Int), into summary: inout JobSummary) {
        summary.itemsOK += counts.ok
        func add(_ key: String, _ value: Int) {
            if case .int(let before)? = summary.metadata[key] { summary.metadata[key] = .int(before + value) }
            else { summary.metadata[key] = .int(value) }
        }
        add("\(step.name)_ok", counts.ok)
        add("\(step.name)_failed", counts.failed)
    }
}

/// An item's error that knows how many attempts were made (recorded in `batch_failures`).
public protocol AttemptedError: Error {
    var attempts: Int { get }
}

extension RetryExhausted: AttemptedError {}
