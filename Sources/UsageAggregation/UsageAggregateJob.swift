import Foundation
import NightshiftCore
import Postgres

/// `usage-aggregate`: one usage_log row per active company and finished local day, plus a
/// system-wide row per day; catches up missed days.
public struct UsageAggregateJob: Job {
    /// Which days: the default (every ready day not yet done) or an explicit range.
    public typealias Options = UsagePlan.Selection

    public static let name = "usage-aggregate"
    public let options: Options
    let settings: UsageSettings

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try UsageSettings.load(config, core: core)
        try CalendarDate.checkRange(from: options.from, to: options.to)
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        let now = context.clock.now
        let days = try UsagePlan.days(context.db, now: now, selection: options, settings: settings)
        context.logger.info("aggregating", metadata: ["days": .int(days.count)])
        if context.isDryRun { return try dryRun(context, days: days) }

        var summary = JobSummary()
        let step = ItemStep<String>(name: "aggregate", failureMessage: "usage aggregation failed", keys: { ["day:\($0)"] },
                                    label: { $0 }, fields: { ["day": .string($0)] })
        try context.run(step, days, into: &summary) { day in
            try UsageAggregation.compute(context.db, day: day, timeZone: settings.timeZone, runID: context.runID!)
        }
        summary.metadata["days"] = .int(summary.itemsOK)
        summary.metadata["first_day"] = days.first.map { .string($0) }
        summary.metadata["last_day"] = days.last.map { .string($0) }
        summary.message = "\(summary.itemsOK) days aggregated"
        return summary
    }

    /// Aggregates inside a transaction that is rolled back and prints the rows a run would write.
    func dryRun(_ context: JobContext, days: [String]) throws -> JobSummary {
        let db = context.db
        return try RunLedger(db: db, job: name).rehearse { runID in
            context.report(UsageAggregateJob.columns.joined(separator: "\t"))
            for day in days {
                try UsageAggregation.compute(db, day: day, timeZone: settings.timeZone, runID: runID)  // the real code, rolled back
                let rows = try db.query("""
                    SELECT coalesce(company_id::text, 'all') AS company, usage_date::text AS day, total_users, active_users,
                           total_engineers, active_engineers, approaches, emails_sent, logins, api_calls, storage_mb
                      FROM usage_log WHERE usage_date = $1::date AND run_id = $2
                     ORDER BY company_id NULLS LAST
                    """, [day, runID]).rows
                for row in rows {
                    context.report(try [row.string("company"), row.string("day")].joined(separator: "\t") + "\t" +
                          (try UsageAggregateJob.columns.dropFirst(2).map { "\(try row.int($0))" }).joined(separator: "\t"))
                }
            }
            return JobSummary(itemsOK: days.count)
        }
    }

    static let columns = ["company", "day", "total_users", "active_users", "total_engineers", "active_engineers",
                          "approaches", "emails_sent", "logins", "api_calls", "storage_mb"]
}
