import Foundation

/// One scheduled job of the suite, defined once: the crontab, the systemd units, the Kubernetes
/// CronJobs, `nightshift jobs` and `nightshift watch` are all made from it.
public struct ScheduledJob: Sendable {
    public enum Criticality: String, Sendable { case critical, normal }
    /// What a run that found nothing to do means: usual for a job that catches up (there was
    /// nothing left), a sign of trouble for one that always has work — or has it whenever a
    /// business is open (status-collect).
    public enum EmptyRun: String, Sendable { case expected, suspicious, suspiciousWhileBusinessesOpen }

    /// The run ledger's job name (also the unit's and the CronJob's name).
    public let name: String
    public let executable: String
    public let arguments: [String]
    /// Read in the suite's time zone (`timezone`).
    public let schedule: CronSchedule
    /// What it does and when, in a sentence or two (the crontab's comment, the unit's description).
    public let summary: String
    /// Longer than this is "running too long"; systemd's `TimeoutStartSec`, Kubernetes'
    /// `activeDeadlineSeconds`.
    public let maxDuration: Int
    /// How late a run may start before the schedule counts as missed.
    public let grace: Int
    public let criticality: Criticality
    /// Consecutive failed runs before an alert (one failure of a daily job is news; of a
    /// half-hourly one, a hiccup).
    public let failuresBeforeAlert: Int
    /// A systemd timer may start it up to this many seconds late (spreading the load of hosts);
    /// 0 where the start time matters.
    public let randomizedDelay: Int
    /// The job whose lock and dead letters it shares (its own name unless two jobs share work).
    public let lockName: String
    public let emptyRun: EmptyRun

    public init(name: String, executable: String, arguments: [String] = [], schedule: String, summary: String,
                maxDuration: Int = 3600, grace: Int, criticality: Criticality = .normal, failuresBeforeAlert: Int = 1,
                randomizedDelay: Int = 0, lockName: String? = nil, emptyRun: EmptyRun = .expected) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        do { self.schedule = try CronSchedule(schedule) } catch { fatalError("registry entry \(name): \(error)") }
        self.summary = summary
        self.maxDuration = maxDuration
        self.grace = grace
        self.criticality = criticality
        self.failuresBeforeAlert = failuresBeforeAlert
        self.randomizedDelay = randomizedDelay
        self.lockName = lockName ?? name
        self.emptyRun = emptyRun
    }

    /// The command line after the executable's path.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }
}

/// The suite's schedule.
public enum JobRegistry {
    public static let jobs: [ScheduledJob] = [
        ScheduledJob(name: "status-collect", executable: "status-collect", schedule: "*/30 * * * *",
                     summary: "every 30 minutes; each business is sampled only inside its own opening hours ±30 min.",
                     maxDuration: 20 * 60, grace: 10 * 60, criticality: .critical, failuresBeforeAlert: 3,
                     emptyRun: .suspiciousWhileBusinessesOpen),
        ScheduledJob(name: "rate-calc", executable: "rate-calc", schedule: "15 */6 * * *",
                     summary: "every 6 hours (HISTORY_CALCULATION_INTERVAL); computes every finished business day not yet computed "
                        + "(catching up after downtime) and recomputes days that received late samples.",
                     maxDuration: 30 * 60, grace: 30 * 60, failuresBeforeAlert: 2, randomizedDelay: 300),
        ScheduledJob(name: "backup", executable: "backup", schedule: "0 1 * * *",
                     summary: "daily at 01:00; pg_dump verified before it takes its final name, then retention "
                        + "(BACKUP_RETENTION_DAYS / BACKUP_KEEP_COUNT) and the optional copy to BACKUP_COPY_DIR.",
                     maxDuration: 2 * 3600, grace: 3600, criticality: .critical, randomizedDelay: 600, emptyRun: .suspicious),
        ScheduledJob(name: "usage-aggregate", executable: "usage-aggregate", schedule: "0 3 * * *",
                     summary: "daily at 03:00; one usage_log row per active company and finished day (and a system-wide row), "
                        + "catching up missed days.",
                     maxDuration: 30 * 60, grace: 3600, randomizedDelay: 300),
        ScheduledJob(name: "invoice", executable: "invoice", arguments: ["--send"], schedule: "0 6 1 * *",
                     summary: "monthly on the 1st at 06:00; bills the previous month (one invoice per contract, exactly once), "
                        + "writes and checks the PDFs, emails each to its company's billing address.",
                     grace: 2 * 3600, criticality: .critical),
        ScheduledJob(name: "invoice-send", executable: "invoice", arguments: ["send"], schedule: "40 * * * *",
                     summary: "hourly; mails what is still unsent (the SMTP server was down, a 4xx outlasted the retries). "
                        + "Finds nothing on almost every run; never sends an invoice twice.",
                     maxDuration: 30 * 60, grace: 30 * 60, failuresBeforeAlert: 3, randomizedDelay: 120, lockName: "invoice"),
        ScheduledJob(name: "monthly-report", executable: "monthly-report", arguments: ["--send"], schedule: "0 7 2 * *",
                     summary: "monthly on the 2nd at 07:00; the previous month's reports (each company's usage, each business's "
                        + "working rates, the operator's month), made once from complete data and mailed once (a business's to "
                        + "its report_email, the operator's to monthly_report.operator_emails).",
                     grace: 2 * 3600, randomizedDelay: 300),
        ScheduledJob(name: "maintenance", executable: "maintenance", schedule: "0 4 * * 0",
                     summary: "Sundays at 04:00; month partitions of the samples created ahead, months older than "
                        + "retention.status_months archived (verified) and dropped once rate-calc has computed every day in them.",
                     maxDuration: 2 * 3600, grace: 2 * 3600, randomizedDelay: 600),
        ScheduledJob(name: "maintenance-analyze", executable: "maintenance", arguments: ["analyze"], schedule: "0 5 * * 1",
                     summary: "Mondays at 05:00; the past week's performance against the week before (jobs, slowest statements, "
                        + "table growth, API calls by company), stored and mailed to maintenance.report_emails.",
                     maxDuration: 30 * 60, grace: 2 * 3600, randomizedDelay: 600),
        ScheduledJob(name: "engineer-status", executable: "engineer-status", schedule: "0 2 * * *",
                     summary: "daily at 02:00; engineers working or soon waiting judged by their current project's planned end "
                        + "(passed or none: waiting; within engineer_status.soon_days: waiting_soon), each change recorded with its reason.",
                     maxDuration: 10 * 60, grace: 3600, randomizedDelay: 300),
        ScheduledJob(name: "approach-delivery", executable: "approach-delivery", schedule: "*/15 * * * *",
                     summary: "every 15 minutes; each company approach that is due goes to the engineers matching it now, one mail "
                        + "each through the outbox, once per period; the next time advanced from its schedule.",
                     maxDuration: 10 * 60, grace: 10 * 60, failuresBeforeAlert: 2),
        ScheduledJob(name: "notify", executable: "notify", schedule: "* * * * *",
                     summary: "every minute; drains the notification queue (email through the outbox, in-app marked delivered), "
                        + "retrying transient failures with backoff. Several hosts may run it at once: each notification is claimed by one.",
                     maxDuration: 10 * 60, grace: 60, failuresBeforeAlert: 5),
        ScheduledJob(name: "watch", executable: "nightshift", arguments: ["watch"], schedule: "*/5 * * * *",
                     summary: "every 5 minutes; checks every job above against this schedule and the data (missed, late, "
                        + "failing, too long, backlogs), sends alerts and recoveries, writes the metrics file.",
                     maxDuration: 4 * 60, grace: 5 * 60, criticality: .critical, failuresBeforeAlert: 2),
    ]

    public static func job(named name: String) -> ScheduledJob? { jobs.first { $0.name == name } }
}
