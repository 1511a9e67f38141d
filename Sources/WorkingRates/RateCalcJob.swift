import Foundation
import NightshiftCore
import Postgres

/// `rate-calc`: daily attendance and working rates for every ready business day not yet computed.
public struct RateCalcJob: Job {
    /// Which days: the default (every ready day not yet done) or an explicit range.
    public typealias Options = DayPlan.Selection

    public static let name = "rate-calc"
    public let options: Options
    let settings: RateCalcSettings

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try RateCalcSettings.load(config, core: core)
        try CalendarDate.checkRange(from: options.from, to: options.to)
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        let now = context.clock.now
        let plan = try DayPlan.days(context.db, now: now, selection: options, settings: settings)
        let dayCount = plan.reduce(0) { $0 + $1.days.count }
        context.logger.info("computing", metadata: ["businesses": .int(plan.count), "days": .int(dayCount)])
        if context.isDryRun { return try dryRun(context, plan: plan) }

        var summary = JobSummary()
        // One item per business (its days in one transaction); a dead letter per business day, so
        // computing a later day never closes an earlier day's failure.
        let step = ItemStep<(business: Int, days: [String])>(
            name: "compute", failureMessage: "rate calculation failed",
            keys: { item in item.days.map { RateCalcJob.itemKey(business: item.business, day: $0) } },
            label: { "business \($0.business)" },
            fields: { ["business_id": .int($0.business), "days": .int($0.days.count)] })
        var computedDays = 0
        try context.run(step, plan, into: &summary) { item in
            try RateAggregation.compute(context.db, business: item.business, days: item.days, runID: context.runID!,
                                        slotMinutes: settings.slotMinutes)
            // Keys before 0005 named the business alone. A run without dates computes every
            // pending day, so its success means none of the business's days is left.
            if !options.isExplicit { try context.failures?.resolve(itemKey: "business:\(item.business)") }
            computedDays += item.days.count
        }
        summary.metadata["days"] = .int(computedDays)
        summary.message = "\(computedDays) business days of \(summary.itemsOK) businesses computed"
        return summary
    }

    static func itemKey(business: Int, day: String) -> String { "business:\(business):\(day)" }

    /// Computes inside a transaction that is rolled back: prints exactly what a run would write.
    func dryRun(_ context: JobContext, plan: [(business: Int, days: [String])]) throws -> JobSummary {
        let db = context.db
        return try RunLedger(db: db, job: name).rehearse { runID in
            // The real computation (stale history removed too), rolled back with the rehearsal.
            for (business, days) in plan {
                try RateAggregation.compute(db, business: business, days: days, runID: runID, slotMinutes: settings.slotMinutes)
            }
            let rows = try db.query("""
                SELECT business_id, business_day::text AS day, ok_slots, expected_slots, coverage::text AS coverage,
                       casts_seen, casts_on_shift, avg_attendance_rate::text AS attendance,
                       avg_working_rate::text AS working, peak_on_shift
                  FROM business_daily WHERE run_id = $1 ORDER BY business_id, business_day
                """, [runID]).rows
            context.report("business\tday\tslots\tcoverage\tcasts\ton_shift\tattendance\tworking\tpeak")
            for row in rows {
                context.report([try row.int("business_id").description, try row.string("day"),
                       "\(try row.int("ok_slots"))/\(try row.int("expected_slots"))", try row.string("coverage"),
                       "\(try row.int("casts_seen"))", "\(try row.int("casts_on_shift"))",
                       try row.optionalString("attendance") ?? "-", try row.optionalString("working") ?? "-",
                       "\(try row.int("peak_on_shift"))"].joined(separator: "\t"))
            }
            return JobSummary(itemsOK: plan.count)
        }
    }
}
