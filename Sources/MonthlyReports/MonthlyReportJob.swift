import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// `monthly-report`: the month before in numbers for the people who read it — today each
/// company's usage report, computed once from complete data and kept in `report`.
public struct MonthlyReportJob: Job {
    public struct Options: Sendable {
        public var run = MonthRunOptions()
        public var companyIDs: [Int] = []
        public init() {}
    }

    public static let name = "monthly-report"
    public let options: Options
    let month: CalendarMonth
    let templates: TextTemplates
    let outputDirectory: String
    let timeZone: TimeZone
    /// Nil when this run sends no mail.
    let mailSettings: MailSettings?
    static let pageSize = 200

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        month = try CalendarMonth.finished(options.run.month, now: clock.now, in: core.timeZone)
        mailSettings = options.run.send ? try MailSettings.load(config) : nil
        templates = try TextTemplates(kind: "report", config: config,
                                      names: CompanyReportDocument.templateNames + (options.run.send ? ReportMailer.templateNames : []))
        timeZone = core.timeZone
        outputDirectory = try config.string("output.dir", default: "output")
    }

    static let computeStep = ItemStep<CompanyReport.Subject>(
        name: "compute", failureMessage: "company report cannot be computed", keys: { [CompanyReport.key($0.id, $0.month)] },
        label: { "company \($0.id)" }, fields: { ["company_id": .int($0.id)] })

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        var summary = JobSummary(metadata: ["month": .string(month.description)])
        let missing = try MonthCompleteness.missingUsageDays(context.db, month: month)
        var created = 0, existing = 0, after = 0
        while true {
            var subjects = try context.unitOfWork("companies after \(after)") {
                try CompanyReport.subjects(context.db, month: month, ids: options.companyIDs, afterID: after, limit: Self.pageSize)
            }
            guard let last = subjects.last else { break }
            after = last.id
            existing += subjects.filter(\.reported).count
            subjects.removeAll(where: \.reported)
            let reports = try CompanyReport.make(context.db, month: month, subjects: subjects)
            try context.runChunk(Self.computeStep, subjects, into: &summary, prepare: { subject in
                guard missing.isEmpty else {
                    throw IncompleteMonth(what: "usage of \(month)", missingDays: missing,
                                          remedy: "run usage-aggregate --from \(missing.first!) --to \(missing.last!) first")
                }
                return ReportStore.NewReport(kind: "company", subjectID: subject.id,
                                             figures: try ReportStore.encoder.encode(reports[subject.id]!))
            }, write: { newReports in
                guard let runID = context.runID else {
                    for new in newReports { context.report(Self.dryRunLine(reports[new.subjectID]!)) }
                    return
                }
                created += try ReportStore.insert(newReports, month: month, runID: runID, db: context.db)
            })
        }
        summary.itemsOK += existing
        var rendered = 0
        if !context.isDryRun {
            let renderer = ReportRenderer<CompanyReport>(context: context, templates: templates, outputDirectory: outputDirectory, month: month)
            rendered = try renderer.render(all: options.run.regenerate, into: &summary)
            if let mailSettings {
                let mailer = ReportMailer(settings: mailSettings, templates: templates, context: context, month: month, timeZone: timeZone)
                let mailed = try mailer.sendUnsent(into: &summary)
                summary.metadata.merge(["mailed": .int(mailed.ok), "unsent": .int(mailed.failed)]) { $1 }
            }
        }
        summary.metadata.merge(["created": .int(created), "existing": .int(existing), "rendered": .int(rendered)]) { $1 }
        summary.message = "\(month): \(created) company reports computed (\(existing) existed), \(rendered) rendered, " +
            "\(summary.itemsFailed) failed"
        return summary
    }

    static func dryRunLine(_ report: CompanyReport) -> String {
        let usage = report.usage.current
        return "company \(report.companyID) \(report.companyName): users max \(usage?.usersMax ?? 0), " +
            "approaches \(usage?.approaches ?? 0), invoice \(report.invoice?.number ?? "none")"
    }
}
