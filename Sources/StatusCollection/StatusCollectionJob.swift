import Foundation
import NightshiftCore
import Postgres

/// `status-collect`: one status sample per cast of every business open in this slot.
public struct StatusCollectionJob: Job {
    public struct Options: Sendable {
        public var force = false
        public var businessIDs: [Int] = []
        public var dryRun = false
        public init() {}
    }

    public static let name = "status-collect"
    public let options: Options
    public var isDryRun: Bool { options.dryRun }
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
            if isDryRun { Swift.print("business \(id): nothing to collect: \(reason)") }
        }
        var summary = JobSummary(metadata: ["slot": .string(slotText)])
        var casts = 0, unknown = 0, withoutID = 0
        let store = context.runID.map { StatusStore(db: context.db, runID: $0) }
        let collector = PageCollector(sites: sites, settings: settings, logger: context.logger)
        try collector.collect(due) { listing in
            let business = listing.business
            var outcome = listing.outcome
            if case .success(let found, _, _) = outcome, found.isEmpty, let previous = business.previousCasts, previous > 0 {
                outcome = .failure(error: "empty listing: no casts on the page, but the previous sample had \(previous)",
                                   attempts: 1)
            }
            switch outcome {
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
                if let store {
                    try context.unitOfWork("store business \(business.id)") {
                        try store.saveSuccess(business: business, slot: slot, collectedAt: now, casts: found, pages: pages,
                                              httpStatus: listing.httpStatus ?? 200, durationMS: listing.durationMS,
                                              failures: context.failures)
                    }
                } else {
                    DryRunReport.print(business: business, slot: slotText, casts: found)
                }
                summary.itemsOK += 1
                context.logger.debug("collected", metadata: ["business_id": .int(business.id), "casts": .int(found.count),
                                                   "pages": .int(pages)])
            case .failure(let error, let attempts):
                summary.itemsFailed += 1
                summary.failedItems.append("business \(business.id) (\(business.name)): \(error)")
                context.logger.error("collection failed", error: CollectionFailure(message: error), metadata: ["business_id": .int(business.id), "url": .string(business.listingURL),
                                                           "attempts": .int(attempts)])
                try context.unitOfWork("store business \(business.id)") {
                    try store?.saveFailure(business: business, slot: slot, collectedAt: now, error: error,
                                           httpStatus: listing.httpStatus, attempts: attempts,
                                           durationMS: listing.durationMS, failures: context.failures)
                }
                if store == nil { DryRunReport.printFailure(business: business, error: error) }
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

struct CollectionFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// What `--dry-run` prints instead of writing: one block per business on stdout.
enum DryRunReport {
    static func print(business: DueBusiness, slot: String, casts: [ParsedCast]) {
        var lines = ["business \(business.id) \(business.name) [\(business.site)] slot \(slot): \(casts.count) casts"]
        for cast in casts {
            lines.append("  \(cast.siteCastID)\t\(cast.name)\t\(cast.status.rawValue)\t\(cast.rawStatus)")
        }
        Swift.print(lines.joined(separator: "\n"))
    }

    static func printFailure(business: DueBusiness, error: String) {
        Swift.print("business \(business.id) \(business.name) [\(business.site)]: FAILED: \(error)")
    }
}
