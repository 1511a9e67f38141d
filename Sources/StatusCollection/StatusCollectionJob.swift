import Foundation
import NightshiftCore
import Postgres

/// `status-collect`: one status sample per cast of every business open in this slot.
public struct StatusCollectionJob: Job {
    public struct Options: Sendable {
        public var force = false
        public var businessIDs: [Int] = []
        public init() {}
    }

    public static let name = "status-collect"
    public let options: Options
    let settings: StatusCollectionSettings
    let sites: SiteRegistry

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try StatusCollectionSettings.load(config, core: core)
        do {
            sites = try SiteRegistry(directory: settings.sitesDirectory)
        } catch let error as SiteDefinitionError {
            throw ConfigurationError(key: "status_collection.sites_dir", source: config.source(of: "status_collection.sites_dir"),
                                     expected: "valid site definitions; \(error)")
        }
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        let now = context.clock.now
        let slot = CollectionPlan.slot(for: now, intervalMinutes: settings.intervalMinutes)
        let slotText = LocalTime.isoTimestamp(slot, in: context.settings.timeZone)
        let due = try CollectionPlan.dueBusinesses(context.db, slot: slot, bufferMinutes: settings.bufferMinutes,
                                                   force: options.force, onlyIDs: options.businessIDs)
        context.logger.info("collecting", metadata: ["slot": .string(slotText), "businesses": .int(due.count)])
        for (id, reason) in try CollectionPlan.notDueReasons(context.db, slot: slot, ids: options.businessIDs, due: due) {
            context.logger.info("nothing collected: \(reason)", metadata: ["business_id": .int(id)])
            if context.isDryRun { context.report("business \(id): nothing to collect: \(reason)") }
        }
        var summary = JobSummary(metadata: ["slot": .string(slotText)])
        var casts = 0, unknown = 0, withoutID = 0
        let store = context.runID.map { StatusStore(db: context.db, runID: $0) }
        let collector = PageCollector(sites: sites, settings: settings, logger: context.logger)
        try collector.collect(due) { listing in
            // Listings arrive one by one as their pages are fetched: each is a step of one item.
            try context.run(StatusCollectionJob.storeStep, [listing], into: &summary) { listing in
                let business = listing.business
                switch StatusCollectionJob.checked(listing.outcome, business) {
                case .success(let found, let pages, let noID):
                    casts += found.count
                    withoutID += noID
                    let unknownHere = found.filter { $0.status == .unknown }
                    unknown += unknownHere.count
                    if !unknownHere.isEmpty {
                        context.logger.warning("unknown status texts stored raw", metadata: [
                            "business_id": .int(business.id),
                            "texts": .string(Set(unknownHere.map(\.rawStatus)).sorted().joined(separator: " | "))])
                    }
                    try store?.saveSuccess(business: business, slot: slot, collectedAt: now, casts: found, pages: pages,
                                           httpStatus: listing.httpStatus ?? 200, durationMS: listing.durationMS)
                    if store == nil { context.report(DryRunReport.lines(business: business, slot: slotText, casts: found)) }
                    context.logger.debug("collected", metadata: ["business_id": .int(business.id), "casts": .int(found.count),
                                                                 "pages": .int(pages)])
                case .failure(let error, let attempts):
                    // The failed slot is recorded for rate-calc's coverage; the step records the dead letter.
                    try store?.saveFailure(business: business, slot: slot, collectedAt: now, error: error,
                                           httpStatus: listing.httpStatus, durationMS: listing.durationMS)
                    if store == nil { context.report(DryRunReport.failure(business: business, error: error)) }
                    throw CollectionFailure(message: error, attempts: attempts)
                }
            }
        }
        summary.metadata["businesses_due"] = .int(due.count)
        summary.metadata["casts"] = .int(casts)
        summary.metadata["unknown_statuses"] = .int(unknown)
        summary.metadata["casts_without_id"] = .int(withoutID)
        summary.message = "slot \(slotText): \(summary.itemsOK) of \(due.count) businesses collected, "
            + "\(casts) casts, \(unknown) unknown statuses"
        return summary
    }
}

extension StatusCollectionJob {
    static let storeStep = ItemStep<CollectedListing>(
        name: "collect", failureMessage: "collection failed", keys: { [StatusStore.itemKey($0.business)] },
        label: { "business \($0.business.id) (\($0.business.name))" },
        fields: { ["business_id": .int($0.business.id), "url": .string($0.business.listingURL)] })

    /// A page that lists no casts where the previous sample had some is a failure, not an empty shop.
    static func checked(_ outcome: CollectedListing.Outcome, _ business: DueBusiness) -> CollectedListing.Outcome {
        if case .success(let found, _, _) = outcome, found.isEmpty, let previous = business.previousCasts, previous > 0 {
            return .failure(error: "empty listing: no casts on the page, but the previous sample had \(previous)", attempts: 1)
        }
        return outcome
    }
}

struct CollectionFailure: AttemptedError, CustomStringConvertible {
    let message: String
    let attempts: Int
    var description: String { message }
}

/// What `--dry-run` reports instead of writing: one block per business.
enum DryRunReport {
    static func lines(business: DueBusiness, slot: String, casts: [ParsedCast]) -> String {
        var lines = ["business \(business.id) \(business.name) [\(business.site)] slot \(slot): \(casts.count) casts"]
        for cast in casts {
            lines.append("  \(cast.siteCastID)\t\(cast.name)\t\(cast.status.rawValue)\t\(cast.rawStatus)")
        }
        return lines.joined(separator: "\n")
    }

    static func failure(business: DueBusiness, error: String) -> String {
        "business \(business.id) \(business.name) [\(business.site)]: FAILED: \(error)"
    }
}
