import Foundation
import NightshiftCore
import Postgres

/// `nightshift watch`: every registry job against its schedule and the ledger, the data against
/// what the jobs should have made; alerts opened, repeated and closed; notices delivered; the
/// metrics file and the status page written; the heartbeat called.
public struct WatchJob: DatabaseOutageAware {
    public struct Options: Sendable {
        /// Also write the static status page (`index.html`) here.
        public var htmlDirectory: String?
        public init() {}
    }

    public static let name = "watch"
    let options: Options
    let settings: WatchSettings

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        settings = try WatchSettings.load(config)
    }

    static let heartbeatStep = ItemStep<String>(name: "heartbeat", failureMessage: "heartbeat not delivered",
                                                keys: { _ in ["heartbeat"] }, label: { _ in "heartbeat" }, isRepeatable: false)

    public func run(_ context: JobContext) throws -> JobSummary {
        let now = context.clock.now
        let db = context.db
        let database = try db.query("SELECT current_database() AS db").first!.string("db")
        let book = AlertBook(db: db, now: now, repeatAfter: TimeInterval(settings.repeatMinutes * 60), webhook: settings.webhookURL != nil,
                             text: AlertText(now: now, database: database, zone: context.settings.timeZone))
        let outageFile = DatabaseOutage.file(in: context.settings.logDirectory)
        if !context.isDryRun, let outage = try DatabaseOutage.load(outageFile) {
            let runsDue = outage.runsDue(JobRegistry.jobs.filter { $0.name != Self.name }, until: now, zone: context.settings.timeZone,
                                         lookBack: watchPeriod(context))
            try context.unitOfWork("database outage") { try db.transaction { try book.recordOutage(outage, runsDue: runsDue) } }
            try DurableFiles.remove(outageFile)
        }
        let conditions = try context.unitOfWork("watch conditions") { try evaluate(context) }
        // The watch itself is the run's first item: a notice not delivered makes the run partial.
        var summary = JobSummary(itemsOK: 1, metadata: ["alerts_firing": .int(conditions.count)])
        if !context.isDryRun {
            let notices = try context.unitOfWork("alert state") { try db.transaction { try book.apply(conditions) } }
            summary.metadata["notices"] = .int(notices)
            try AlertDelivery(settings: settings, context: context, database: database).deliver(into: &summary)
        }
        if context.isWatched || context.isDryRun {
            for condition in conditions { context.report("\(condition.severity.rawValue)\t\(condition.key)\t\(condition.summary)") }
        }
        if let directory = options.htmlDirectory, !context.isDryRun {
            try StatusPage.read(db, now: now, zone: context.settings.timeZone).write(to: directory)
        }
        if let heartbeat = settings.heartbeatURL, !context.isDryRun {
            try context.run(Self.heartbeatStep, [heartbeat], into: &summary) { url in try OperatorEndpoint(url).get() }
        }
        summary.message = conditions.isEmpty ? "no alerts" : "\(conditions.count) alert(s) firing: " + conditions.map(\.key).joined(separator: ", ")
        return summary
    }

    /// Every condition firing now, the skipped ones left out.
    func evaluate(_ context: JobContext) throws -> [Condition] {
        let now = context.clock.now
        let since = try context.db.query("SELECT min(started_at) AS since FROM batch_runs WHERE job = $1", [Self.name]).first!
            .optionalDate("since") ?? now
        let jobs = JobConditions(db: context.db, now: now, zone: context.settings.timeZone, watchingSince: since)
        let data = DataConditions(db: context.db, now: now, settings: settings, core: context.settings)
        let outages = try databaseOutages(context)
        return try (jobs.evaluate(JobRegistry.jobs.filter { $0.name != Self.name }) + data.evaluate()).filter { condition in
            !settings.skips(condition) && !(condition.dueAt.map { due in outages.contains { $0.contains(due) } } ?? false)
        }
    }

    /// The last week's database outages, each from a watch period before the first watch that
    /// found the database unreachable (it may have gone a moment after the last good one).
    func databaseOutages(_ context: JobContext) throws -> [DateInterval] {
        let period = watchPeriod(context)
        return try context.db.query("""
            SELECT opened_at, closed_at FROM alert
             WHERE key = 'database_unreachable' AND closed_at > $1::timestamptz - interval '8 days'
            """, [context.clock.now]).rows.map {
            DateInterval(start: try $0.date("opened_at").addingTimeInterval(-period), end: try $0.date("closed_at"))
        }
    }

    func watchPeriod(_ context: JobContext) -> TimeInterval {
        JobRegistry.job(named: Self.name).map { $0.schedule.longestGap(from: context.clock.now, in: context.settings.timeZone) } ?? 300
    }

    /// The database cannot be reached at all: the alarm goes by direct mail and the webhook.
    public func databaseUnreachable(_ failure: Error, clock: Clock, settings core: CoreSettings, logger: Logger) {
        let alarm = OutageAlarm(settings: settings, path: DatabaseOutage.file(in: core.logDirectory), zone: core.timeZone, logger: logger)
        do {
            let undelivered = try alarm.raise(database: DatabaseURL.databaseName(in: core.databaseURL) ?? "the database",
                                              error: Secrets.shared.scrub("\(failure)"), now: clock.now)
            for line in undelivered { logger.error("database outage notice not delivered", metadata: ["reason": .string(line)]) }
        } catch {
            logger.error("cannot keep the database outage's state", error: error)
        }
    }
}
