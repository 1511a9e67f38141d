import Foundation
import Mail
import NightshiftCore
import Postgres

/// `maintenance analyze` (Mondays 05:00): the week's performance analysis, stored in
/// `performance_analysis` and mailed to `maintenance.report_emails`; `--json` prints it.
public struct MaintenanceAnalyzeJob: Job {
    public struct Options: Sendable {
        public var json = false
        public init() {}
    }

    public static let name = "maintenance-analyze"
    public let options: Options
    /// A job whose median run grew by more than this share is flagged as getting slower.
    let slowerPercent: Int
    let letters: OperatorLetters

    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        slowerPercent = try config.int("maintenance.slower_percent", default: 50, range: 1...10_000)
        letters = try OperatorLetters.load(config, key: "maintenance.report_emails", kind: "report")
    }

    public func run(_ context: JobContext) throws -> JobSummary {
        // A run stopped between storing its analysis and mailing it: that analysis is the week's,
        // mailed now rather than measured again (one letter a week, not two).
        if !context.isDryRun, !letters.recipients.isEmpty, let (id, stored) = try unmailedAnalysis(context) {
            context.logger.info("mailing the analysis an earlier run stored", metadata: ["analysis_id": .int(id)])
            return try mail(stored, id: id, context: context)
        }
        let analysis = try PerformanceAnalysis.measure(context.db, now: context.clock.now, slowerPercent: slowerPercent)
        let slower = analysis.jobs.filter(\.slower).map(\.job)
        var summary = JobSummary(itemsOK: 1, metadata: ["slower_jobs": .int(slower.count)],
                                 message: "\(analysis.jobs.count) jobs analysed" + (slower.isEmpty ? "" : "; slower: " + slower.joined(separator: ", ")))
        if options.json { context.report(analysis.json) } else if context.isDryRun || context.isWatched { context.report(analysis.text) }
        guard let runID = context.runID else { return summary }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let id = try context.unitOfWork("performance analysis") {
            try context.db.query("INSERT INTO performance_analysis (taken_at, run_id, report) VALUES ($1, $2, $3::jsonb) RETURNING id",
                                 [context.clock.now, runID, String(decoding: try encoder.encode(analysis), as: UTF8.self)]).first!.int("id")
        }
        for job in slower { context.logger.warning("a job is getting slower", metadata: ["job": .string(job)]) }
        return try mail(analysis, id: id, context: context, into: summary)
    }

    func mail(_ analysis: PerformanceAnalysis, id: Int, context: JobContext, into summary: JobSummary? = nil) throws -> JobSummary {
        let slower = analysis.jobs.filter(\.slower).map(\.job)
        var summary = summary ?? JobSummary(itemsOK: 1, metadata: ["slower_jobs": .int(slower.count)],
                                            message: "the analysis \(id) stored by an earlier run mailed")
        let database = try context.db.query("SELECT current_database() AS db").first!.string("db")
        try letters.send(about: "analysis:\(id)", subject: "[nightshift] \(database): the week's performance" +
                            (slower.isEmpty ? "" : " (slower: \(slower.joined(separator: ", ")))"),
                         body: analysis.text, context: context, into: &summary)
        return summary
    }

    /// The newest analysis of the last day not mailed to anyone yet.
    func unmailedAnalysis(_ context: JobContext) throws -> (Int, PerformanceAnalysis)? {
        guard let row = try context.db.query("""
            SELECT p.id, p.report::text AS report FROM performance_analysis p
             WHERE p.taken_at > $1::timestamptz - interval '1 day'
               AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.about LIKE 'analysis:' || p.id || ':%' AND m.status = 'sent')
             ORDER BY p.taken_at DESC, p.id DESC LIMIT 1
            """, [context.clock.now]).first else { return nil }
        let decoder = JSONDecoder()
        return (try row.int("id"), try decoder.decode(PerformanceAnalysis.self, from: Data(try row.string("report").utf8)))
    }
}
