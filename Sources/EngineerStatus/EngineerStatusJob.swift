import Foundation
import NightshiftCore
import Postgres

/// `engineer-status` (daily 02:00): the placement review (`PlacementReview`), one statement in one
/// transaction; `--dry-run` lists the changes it would make and keeps none.
public struct EngineerStatusJob: Job {
    public struct Options: Sendable {
        public init() {}
    }

    public static let name = "engineer-status"
    /// `engineer_status.soon_days`: a planned end this many days ahead or nearer is "soon".
    let soonDays: Int
    let timeZone: TimeZone

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        soonDays = try config.int("engineer_status.soon_days", default: 90, range: 1...3650)
        timeZone = core.timeZone
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        let review = PlacementReview(db: context.db, soonDays: soonDays, timeZone: timeZone)
        let now = context.clock.now
        let (judged, changes) = try context.isDryRun
            ? RunLedger(db: context.db, job: Self.name).rehearse { runID in (try review.judged(), try review.apply(now: now, runID: runID)) }
            : context.unitOfWork("placement review") { try context.db.transaction { (try review.judged(), try review.apply(now: now, runID: context.runID!)) } }
        if context.isDryRun || context.isWatched {
            for change in changes { context.report("\(change.engineerID)\t\(change.from) → \(change.to)\t\(change.reason)") }
        }
        var summary = JobSummary(itemsOK: judged, message: "\(judged) engineers reviewed, \(changes.count) changed")
        summary.metadata["changed"] = .int(changes.count)
        for status in ["working", "waiting_soon", "waiting"] {
            summary.metadata["to_\(status)"] = .int(changes.filter { $0.to == status }.count)
        }
        return summary
    }
}
