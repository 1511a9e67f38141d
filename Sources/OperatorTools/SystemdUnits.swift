import Foundation
import NightshiftCore

/// A `.service` and `.timer` pair per registry job: the timer fires on the job's schedule in the
/// suite's time zone (`Persistent=true`: a run missed while the machine was down happens at
/// boot), the service runs the job once, stopped with SIGTERM after its maximum duration.
public struct SystemdUnits {
    public struct File: Equatable {
        public let name: String
        public let text: String
    }

    public struct Unsupported: Error, CustomStringConvertible {
        public let description: String
    }

    public var binDirectory: String
    public var home: String
    public var configPath: String
    public var user: String
    public var timeZone: TimeZone
    /// Seconds between SIGTERM and SIGKILL when a stop outlasts it: the unit in progress commits.
    public var stopTimeout = 90

    public init(binDirectory: String, home: String, configPath: String, user: String, timeZone: TimeZone) {
        self.binDirectory = binDirectory
        self.home = home
        self.configPath = configPath
        self.user = user
        self.timeZone = timeZone
    }

    public static func unitName(_ job: ScheduledJob) -> String { "nightshift-\(job.name)" }

    public func files(_ jobs: [ScheduledJob] = JobRegistry.jobs) throws -> [File] {
        try jobs.flatMap { job in
            [File(name: Self.unitName(job) + ".service", text: service(job)),
             File(name: Self.unitName(job) + ".timer", text: try timer(job))]
        }
    }

    func service(_ job: ScheduledJob) -> String {
        """
        # Made by `nightshift systemd` from the job registry; regenerate rather than edit.
        [Unit]
        Description=Nightshift \(job.name): \(job.summary)
        Documentation=file://\(home)/docs/operations.md
        Wants=network-online.target
        After=network-online.target postgresql.service

        [Service]
        Type=oneshot
        User=\(user)
        WorkingDirectory=\(home)
        Environment=NIGHTSHIFT_CONFIG=\(configPath)
        # Secrets (DATABASE_URL, SMTP_PASSWORD) from a root-readable file, never the command line.
        EnvironmentFile=-/etc/nightshift/environment
        ExecStart=\(binDirectory)/\(job.commandLine)
        TimeoutStartSec=\(job.maxDuration)
        KillSignal=SIGTERM
        TimeoutStopSec=\(stopTimeout)
        NoNewPrivileges=yes
        PrivateTmp=yes
        ProtectSystem=full

        """
    }

    func timer(_ job: ScheduledJob) throws -> String {
        let delay = job.randomizedDelay > 0 ? "RandomizedDelaySec=\(job.randomizedDelay)\n" : ""
        return """
        # Made by `nightshift systemd` from the job registry (cron: \(job.schedule.expression)).
        [Unit]
        Description=Schedule of nightshift \(job.name)

        [Timer]
        OnCalendar=\(try Self.onCalendar(job.schedule, zone: timeZone))
        Persistent=true
        AccuracySec=1s
        \(delay)Unit=\(Self.unitName(job)).service

        [Install]
        WantedBy=timers.target

        """
    }

    /// The cron expression as a systemd calendar event: each field an explicit list (or `*`).
    public static func onCalendar(_ schedule: CronSchedule, zone: TimeZone) throws -> String {
        if schedule.daysRestricted && schedule.weekdaysRestricted {
            throw Unsupported(description: "\(schedule): day-of-month and day-of-week both set (cron: either) has no OnCalendar= form")
        }
        func list(_ values: [Int], full: ClosedRange<Int>) -> String {
            values == Array(full) ? "*" : values.map { String(format: "%02d", $0) }.joined(separator: ",")
        }
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let weekdays = schedule.weekdaysRestricted ? schedule.weekdays.map { names[$0] }.joined(separator: ",") + " " : ""
        let date = "*-\(list(schedule.months, full: 1...12))-\(list(schedule.days, full: 1...31))"
        let time = "\(list(schedule.hours, full: 0...23)):\(list(schedule.minutes, full: 0...59)):00"
        return "\(weekdays)\(date) \(time) \(zone.identifier)"
    }
}
