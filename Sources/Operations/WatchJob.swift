import Foundation
import NightshiftCore
import Postgres
import Web

/// `nightshift watch`: every registry job against its schedule and the ledger, the data against
/// what the jobs should have made; alerts opened, repeated and closed; notices delivered; the
/// metrics file and the status page written; the heartbeat called.
public struct WatchJob: Job {
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
        let conditions = try context.unitOfWork("watch conditions") { try evaluate(context) }
        // The watch itself is the run's first item: a notice not delivered makes the run partial.
        var summary = JobSummary(itemsOK: 1, metadata: ["alerts_firing": .int(conditions.count)])
        let database = try db.query("SELECT current_database() AS db").first!.string("db")
        if !context.isDryRun {
            let book = AlertBook(db: db, now: now, repeatAfter: TimeInterval(settings.repeatMinutes * 60), webhook: settings.webhookURL != nil,
                                 database: database, zone: context.settings.timeZone)
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
            let fetcher = PageFetcher(policy: FetchPolicy(), gate: HostGate(maxConnectionsPerHost: 1, minDelaySeconds: 0))
            try context.run(Self.heartbeatStep, [heartbeat], into: &summary) { url in _ = try fetcher.fetch(url) }
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
        return try (jobs.evaluate(JobRegistry.jobs.filter { $0.name != Self.name }) + data.evaluate()).filter { !settings.skips($0) }
    }
}
