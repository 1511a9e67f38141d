import Foundation
import NightshiftCore

extension Outbox {
    /// Mails a page of items through `step` (declare it `isRepeatable: false`): posts each item's
    /// letter, then delivers the ones still pending, composing each message only when it is sent.
    /// A failure is the step's item failure; the letter stays pending for the next run.
    @discardableResult
    public func send<Item>(_ page: [Item], step: ItemStep<Item>, context: JobContext, into summary: inout JobSummary,
                           letter: (Item) -> Letter, compose: (Item, Letter, MailAddress) throws -> [UInt8]) throws -> (ok: Int, failed: Int) {
        let pending = try post(page.map(letter))
        return try context.run(step, page, into: &summary) { item in
            guard let posted = pending[letter(item).about] else { return }  // sent meanwhile
            try deliver(posted) { recipient in try compose(item, posted, recipient) }
        }
    }
}
