import Foundation
import NightshiftCore
import Postgres

/// `maintenance` (Sundays 04:00), in order: the sample tables' month partitions created ahead and
/// old months archived and dropped when nothing is lost by it; old rows of other tables deleted by
/// their retention rules; statistics and indexes kept healthy; what killed runs left behind
/// removed; old log files compressed and in time deleted; then the health report.
public struct MaintenanceJob: Job {
    public struct Options: Sendable {
        /// Print the health report as JSON.
        public var json = false
        public init() {}
    }

    public static let name = "maintenance"
    public let options: Options
    let settings: MaintenanceSettings
    let retentionRules: [TableRetention.Rule]
    let health: HealthMonitor

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try MaintenanceSettings.load(config)
        retentionRules = try TableRetention.rules(config)
        health = try HealthMonitor.load(config, core: core, backup: settings.tools, output: settings.outputDirectory)
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        var summary = JobSummary()
        let utc = TimeZone(identifier: "UTC")!
        let retention = StatusRetention(settings: settings, context: context, current: CalendarMonth.containing(context.clock.now, in: utc))
        let created = try retention.createAhead(into: &summary)
        let (dropped, kept) = try retention.archiveOld(into: &summary)
        try retention.pruneArchives(into: &summary)
        try TableRetention(context: context, lockTimeoutMS: settings.lockTimeoutMS).apply(retentionRules, into: &summary)
        try DatabaseUpkeep(thresholds: settings.upkeep, lockTimeoutMS: settings.lockTimeoutMS, context: context).run(into: &summary)
        try Orphans(directories: [settings.outputDirectory, settings.tools.directory, settings.archiveDirectory], now: context.clock.now,
                    context: context).run(into: &summary)
        try LogArchive(directory: context.settings.logDirectory, afterDays: settings.logArchiveAfterDays, keepDays: settings.logArchiveKeepDays,
                       todaysJobsFile: LogFiles.jobsFileName(LocalTime.compactDate(context.clock.now, in: context.settings.timeZone)),
                       now: context.clock.now, context: context).run(into: &summary)
        try health.run(context, json: options.json, into: &summary)
        summary.message = "partitions: \(created) created, \(dropped) archived and dropped, \(kept) old months kept"
        return summary
    }
}
