import Foundation
import NightshiftCore

extension DocumentPipeline {
    /// Runs the pipeline with each drawn batch committed as one chunk of `step`: a document that
    /// failed its drawing or check, or whose `extra` (a CSV beside it) cannot be made, is its
    /// item's failure and leaves no file; the others are made durable together and handed to
    /// `record` (their rows updated) in the same unit of work. Returns the step's counts.
    @discardableResult
    public func render<Extra>(_ step: ItemStep<Outcome>, context: JobContext, into summary: inout JobSummary,
                              fetch: (_ after: Item?) throws -> [Item], extra: @escaping (Drawn) throws -> Extra,
                              record: @escaping ([(drawn: Drawn, extra: Extra)]) throws -> Void) throws -> (ok: Int, failed: Int) {
        var total = (ok: 0, failed: 0)
        try run(fetch: fetch, commit: { batch in
            let counts = try context.runChunk(step, batch, into: &summary, prepare: { outcome -> (drawn: Drawn, extra: Extra) in
                let drawn = try outcome.result.get()
                do {
                    return (drawn, try extra(drawn))
                } catch {
                    try? DurableFiles.remove(drawn.path)
                    throw error
                }
            }, write: { done in
                try makeDurable(done.map(\.drawn))
                try record(done)
            })
            total = (total.ok + counts.ok, total.failed + counts.failed)
        })
        return total
    }
}
