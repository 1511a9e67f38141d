import Documents
import Foundation
import Mail
import NightshiftCore
import Postgres

/// `monthly-report`: the month before in numbers for the people who read it — each company's
/// usage, each business's working rates and the operator's month — computed once from complete
/// data, kept in `report`, rendered through the document pipeline and mailed through the outbox.
public struct MonthlyReportJob: Job {
    public enum Kind: String, Sendable, CaseIterable { case company, business, `operator` }

    public struct Options: Sendable {
        public var run = MonthRunOptions()
        /// Every kind when empty.
        public var kinds: [Kind] = []
        public var companyIDs: [Int] = []
        public var businessIDs: [Int] = []
        /// `utf-8` (with a byte-order mark, the default) or `shift_jis`.
        public var csvEncoding = "utf-8"
        public init() {}
    }

    public static let name = "monthly-report"
    public let options: Options
    let month: CalendarMonth
    let templates: TextTemplates
    let outputDirectory: String
    let csvEncoding: ReportCSV.Encoding
    let timeZone: TimeZone
    /// Nil when this run sends no mail.
    let mailSettings: MailSettings?
    /// Where the operator's report is mailed (`monthly_report.operator_emails`); none: only filed.
    let operatorEmails: [MailAddress]
    static let pageSize = 200

    /// Built in one step from its options and the configuration; a bad setting throws (exit 78).
    public init(options: Options, config: ConfigValues, core: CoreSettings, clock: Clock) throws {
        self.options = options
        month = try CalendarMonth.finished(options.run.month, now: clock.now, in: core.timeZone)
        guard let encoding = ReportCSV.Encoding(rawValue: options.csvEncoding) else {
            let known = ReportCSV.Encoding.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("--csv-encoding \(options.csvEncoding): expected one of \(known)")
        }
        csvEncoding = encoding
        mailSettings = options.run.send ? try MailSettings.load(config) : nil
        operatorEmails = options.run.send ? try Self.operatorEmails(config) : []
        templates = try TextTemplates(kind: "report", config: config, names: CompanyReport.templateNames + BusinessReport.templateNames
                                      + OperatorReport.templateNames
                                      + (options.run.send ? ReportMailer.templateNames : []))
        timeZone = core.timeZone
        outputDirectory = try config.string("output.dir", default: "output")
    }

    static let companyStep = ItemStep<CompanyReport.Subject>(
        name: "compute", failureMessage: "company report cannot be computed", keys: { [CompanyReport.key($0.id, $0.month)] },
        label: { "company \($0.id)" }, fields: { ["company_id": .int($0.id)] })

    static let businessStep = ItemStep<BusinessReport.Subject>(
        name: "compute", failureMessage: "business report cannot be computed", keys: { [BusinessReport.key($0.id, $0.month)] },
        label: { "business \($0.id)" }, fields: { ["business_id": .int($0.id)] })

    var kinds: Set<Kind> { options.kinds.isEmpty ? Set(Kind.allCases) : Set(options.kinds) }

    static let operatorStep = ItemStep<CalendarMonth>(name: "compute", failureMessage: "operator report cannot be computed",
                                                     keys: { [OperatorReport.key($0)] }, label: { _ in "operator report" })

    /// Reports created by this run, and found made by an earlier one.
    struct Counts { var created = 0, existing = 0 }

    public func run(_ context: JobContext) throws -> JobSummary {
        umask(0o077)
        var summary = JobSummary(metadata: ["month": .string(month.description)])
        let missing = try MonthCompleteness.missingUsageDays(context.db, month: month)
        let incomplete = IncompleteMonth(what: "usage of \(month)", missingDays: missing,
                                         remedy: "run usage-aggregate --from \(missing.first ?? "") --to \(missing.last ?? "") first")
        var counts = Counts()
        if kinds.contains(.company) { try computeCompanyReports(context, incomplete, &summary, &counts) }
        if kinds.contains(.business) { try computeBusinessReports(context, &summary, &counts) }
        if kinds.contains(.operator) { try computeOperatorReport(context, incomplete, &summary, &counts) }
        summary.itemsOK += counts.existing
        var rendered = 0
        if !context.isDryRun {
            let all = options.run.regenerate
            if kinds.contains(.company) { rendered += try renderer(CompanyReport.self, context).render(all: all, into: &summary) }
            if kinds.contains(.business) { rendered += try renderer(BusinessReport.self, context).render(all: all, into: &summary) }
            if kinds.contains(.operator) { rendered += try renderer(OperatorReport.self, context).render(all: all, into: &summary) }
            if let mailSettings {
                let mailer = ReportMailer(settings: mailSettings, templates: templates, context: context, month: month, timeZone: timeZone)
                let mailed = try mailer.sendUnsent(kinds: kinds, operatorEmails: operatorEmails, into: &summary)
                summary.metadata.merge(["mailed": .int(mailed.ok), "unsent": .int(mailed.failed)]) { $1 }
            }
        }
        summary.metadata.merge(["created": .int(counts.created), "existing": .int(counts.existing), "rendered": .int(rendered)]) { $1 }
        summary.message = "\(month): \(counts.created) reports computed (\(counts.existing) existed), \(rendered) rendered, " +
            "\(summary.itemsFailed) failed"
        return summary
    }

    private func computeOperatorReport(_ context: JobContext, _ incomplete: IncompleteMonth, _ summary: inout JobSummary,
                                       _ counts: inout Counts) throws {
        guard try context.db.query("SELECT 1 AS x FROM report WHERE kind = 'operator' AND month = $1::date", [month.firstDay]).first == nil
        else { counts.existing += 1; return }
        try context.runChunk(Self.operatorStep, [month], into: &summary, prepare: { month in
            guard incomplete.missingDays.isEmpty else { throw incomplete }
            return try OperatorReport.make(context.db, month: month, timeZone: timeZone)
        }, write: { reports in
            guard let runID = context.runID else {
                for report in reports { context.report("operator: revenue ¥\(report.revenue?.totalYen ?? 0), \(report.jobs.count) jobs") }
                return
            }
            let new = try reports.map {
                ReportStore.NewReport(kind: OperatorReport.kind, subjectID: 0, figures: try ReportStore.encoder.encode($0))
            }
            counts.created += try ReportStore.insert(new, month: month, runID: runID, db: context.db)
        })
    }

    /// `monthly_report.operator_emails`: addresses separated by commas.
    static func operatorEmails(_ config: ConfigValues) throws -> [MailAddress] {
        guard let text = try config.optionalString("monthly_report.operator_emails") else { return [] }
        return try text.split(separator: ",").map { item in
            let address = item.trimmingCharacters(in: .whitespaces)
            guard let parsed = MailAddress(address) else {
                throw ConfigurationError(key: "monthly_report.operator_emails", source: config.source(of: "monthly_report.operator_emails"),
                                         expected: "addresses separated by commas, like ops@example.com, cto@example.com (\"\(address)\" is not one)")
            }
            return parsed
        }
    }

    private func renderer<Content: ReportContent>(_ kind: Content.Type, _ context: JobContext) -> ReportRenderer<Content> {
        ReportRenderer<Content>(context: context, templates: templates, outputDirectory: outputDirectory, month: month,
                                csvEncoding: csvEncoding)
    }

    private func computeCompanyReports(_ context: JobContext, _ incomplete: IncompleteMonth, _ summary: inout JobSummary,
                                       _ counts: inout Counts) throws {
        try computeReports(Self.companyStep, context, &summary, &counts, page: { after in
            try CompanyReport.subjects(context.db, month: month, ids: options.companyIDs, afterID: after, limit: Self.pageSize)
        }, incomplete: { subjects in
            incomplete.missingDays.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: subjects.map { ($0.id, incomplete) })
        }, make: { subjects in
            try CompanyReport.make(context.db, month: month, subjects: subjects)
        }, dryRunLine: Self.dryRunLine)
    }

    private func computeBusinessReports(_ context: JobContext, _ summary: inout JobSummary, _ counts: inout Counts) throws {
        let month = month
        try computeReports(Self.businessStep, context, &summary, &counts, page: { after in
            try BusinessReport.subjects(context.db, month: month, ids: options.businessIDs, afterID: after, limit: Self.pageSize)
        }, incomplete: { subjects in
            let missing = try MonthCompleteness.missingRateDays(context.db, month: month, businesses: subjects.map(\.id))
            return Dictionary(uniqueKeysWithValues: missing.map { business, days in
                (business, IncompleteMonth(what: "the working-rate data of \(month)", missingDays: days,
                                           remedy: "run rate-calc --business-id \(business) --from \(days.first!) --to \(days.last!) first"))
            })
        }, make: { subjects in
            try BusinessReport.make(context.db, month: month, subjects: subjects)
        }, dryRunLine: { report in
            "business \(report.businessID) \(report.businessName): working rate \(report.headline), " +
                "\(report.rates.current?.days ?? 0) days, \(report.topCasts.count) top casts"
        })
    }

    /// Computes and stores the reports of one kind, a page of subjects at a time: those already
    /// made are counted and left; one whose month is incomplete (in `incomplete` of its page) is an
    /// item failure naming the missing days.
    private func computeReports<Subject: ReportSubject, Content: ReportContent>(
        _ step: ItemStep<Subject>, _ context: JobContext, _ summary: inout JobSummary, _ counts: inout Counts,
        page: (Int) throws -> [Subject], incomplete: ([Subject]) throws -> [Int: IncompleteMonth],
        make: ([Subject]) throws -> [Int: Content], dryRunLine: @escaping (Content) -> String
    ) throws {
        try forEachPage(key: \.id, fetch: { after in try context.unitOfWork("\(Content.kind) subjects after \(after)") { try page(after) } }) { page in
            let subjects = page.filter { !$0.reported }
            counts.existing += page.count - subjects.count
            let missing = try incomplete(subjects)
            let reports = try make(subjects.filter { missing[$0.id] == nil })
            try context.runChunk(step, subjects, into: &summary, prepare: { subject in
                if let problem = missing[subject.id] { throw problem }
                return ReportStore.NewReport(kind: Content.kind, subjectID: subject.id, figures: try ReportStore.encoder.encode(reports[subject.id]!))
            }, write: { newReports in
                guard let runID = context.runID else {
                    for new in newReports { context.report(dryRunLine(reports[new.subjectID]!)) }
                    return
                }
                counts.created += try ReportStore.insert(newReports, month: month, runID: runID, db: context.db)
            })
        }
    }

    static func dryRunLine(_ report: CompanyReport) -> String {
        let usage = report.usage.current
        return "company \(report.companyID) \(report.companyName): users max \(usage?.usersMax ?? 0), " +
            "approaches \(usage?.approaches ?? 0), invoice \(report.invoice?.number ?? "none")"
    }
}
