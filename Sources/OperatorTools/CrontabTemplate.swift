import Foundation
import NightshiftCore

extension Crontab {
    /// The crontab of the registry's jobs, with the install at `/opt/nightshift`.
    public static var template: String {
        var lines = [
            "# Nightshift — the suite's schedule, made from its job registry (Sources/NightshiftCore/Registry):",
            "# `nightshift crontab --template` prints this file, `nightshift crontab` prints it with the paths of",
            "# this install filled in; install that with `crontab -u nightshift FILE` or into /etc/cron.d (adding",
            "# the user column). Every command is a one-shot job: quiet on success, exit code and a short stderr",
            "# summary on failure (cron mails any output). cron reads the times in the machine's time zone: keep",
            "# it the suite's `timezone` (default Asia/Tokyo), which `nightshift watch`, systemd and Kubernetes use.",
            "SHELL=/bin/sh",
            "NIGHTSHIFT_HOME=/opt/nightshift",
            "NIGHTSHIFT_BIN=/opt/nightshift/.build/release",
            "NIGHTSHIFT_CONFIG=/opt/nightshift/config.json",
            "LOG_DIR=/opt/nightshift/logs",
        ]
        for job in JobRegistry.jobs {
            lines.append("")
            lines += wrapped("\(job.name): \(job.summary)", width: 100).map { "# " + $0 }
            lines.append("\(job.schedule.expression)\t$NIGHTSHIFT_BIN/\(job.commandLine)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width - 2 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
