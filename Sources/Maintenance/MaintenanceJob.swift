import Foundation
import NightshiftCore
import Postgres

/// `maintenance` (Sundays 04:00): the sample tables' month partitions created ahead, old months
/// archived and dropped when nothing is lost by it, and strays in the default partitions reported.
public struct MaintenanceJob: Job {
    public struct Options: Sendable {
        public init() {}
    }

    public static let name = "maintenance"
    public let options: Options
    let settings: MaintenanceSettings

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try MaintenanceSettings.load(config)
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        var summary = JobSummary()
        let utc = TimeZone(identifier: "UTC")!
        let retention = StatusRetention(settings: settings, context: context, current: CalendarMonth.containing(context.clock.now, in: utc))
        let created = try retention.createAhead(into: &summary)
        let (dropped, kept) = try retention.archiveOld(into: &summary)
        try retention.pruneArchives(into: &summary)
        let strays = try MonthPartition.defaultRows(context.db).filter { $0.value > 0 }
        for (parent, rows) in strays.sorted(by: { $0.key < $1.key }) {
            context.logger.warning("a default partition holds rows", metadata: ["table": .string(parent + "_default"), "rows": .int(rows)])
            if context.isDryRun { context.report("\(parent)_default holds \(rows) rows no month partition covers") }
        }
        summary.metadata["default_rows"] = .int(strays.values.reduce(0, +))
        summary.message = "partitions: \(created) created, \(dropped) archived and dropped, \(kept) old months kept"
        return summary
    }
}
