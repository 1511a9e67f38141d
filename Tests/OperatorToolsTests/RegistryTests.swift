import Foundation
import NightshiftCore
import OperatorTools
import TestSupport
import XCTest

/// The job registry and what is made from it: cron schedules read by hand, the shipped crontab,
/// systemd units checked by systemd itself, CronJobs checked against the Kubernetes schemas.
final class RegistryTests: XCTestCase {
    let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testFireTimesWorkedOutByHand() throws {
        let sixHourly = try CronSchedule("15 */6 * * *")
        XCTAssertEqual(sixHourly.hours, [0, 6, 12, 18])
        XCTAssertEqual(sixHourly.next(after: at("2026-12-05T20:00:00+09:00"), in: tokyo), at("2026-12-06T00:15:00+09:00"))
        XCTAssertEqual(sixHourly.next(after: at("2026-12-06T00:15:00+09:00"), in: tokyo), at("2026-12-06T06:15:00+09:00"))
        XCTAssertEqual(sixHourly.previous(atOrBefore: at("2026-12-06T00:15:00+09:00"), in: tokyo), at("2026-12-06T00:15:00+09:00"))
        XCTAssertEqual(sixHourly.previous(atOrBefore: at("2026-12-06T00:14:59+09:00"), in: tokyo), at("2026-12-05T18:15:00+09:00"))

        // Sundays 04:00: from Saturday 5 December, Sunday the 6th; the month's first: across the year end.
        XCTAssertEqual(try CronSchedule("0 4 * * 0").next(after: at("2026-12-05T12:00:00+09:00"), in: tokyo), at("2026-12-06T04:00:00+09:00"))
        XCTAssertEqual(try CronSchedule("0 4 * * 7").next(after: at("2026-12-05T12:00:00+09:00"), in: tokyo), at("2026-12-06T04:00:00+09:00"))
        let monthly = try CronSchedule("0 6 1 * *")
        XCTAssertEqual(monthly.next(after: at("2026-12-05T12:00:00+09:00"), in: tokyo), at("2027-01-01T06:00:00+09:00"))
        XCTAssertEqual(monthly.previous(atOrBefore: at("2026-12-05T12:00:00+09:00"), in: tokyo), at("2026-12-01T06:00:00+09:00"))
        // The same local time is a different instant in another zone.
        XCTAssertEqual(monthly.next(after: at("2026-12-05T12:00:00Z"), in: newYork), at("2027-01-01T06:00:00-05:00"))

        // Both day fields set: either matches (cron's rule) — Fridays and the 13th.
        let either = try CronSchedule("0 0 13 * fri")
        XCTAssertEqual(either.next(after: at("2026-11-08T00:00:00+09:00"), in: tokyo), at("2026-11-13T00:00:00+09:00"))  // a Friday the 13th
        XCTAssertEqual(either.next(after: at("2026-11-13T00:00:00+09:00"), in: tokyo), at("2026-11-20T00:00:00+09:00"))

        // 02:30 does not exist in New York on 14 March 2027 (clocks go 02:00 → 03:00): no run that day.
        let night = try CronSchedule("30 2 * * *")
        XCTAssertEqual(night.next(after: at("2027-03-13T03:00:00-05:00"), in: newYork), at("2027-03-15T02:30:00-04:00"))

        XCTAssertEqual(try CronSchedule("*/30 * * * *").longestGap(from: at("2026-12-05T00:00:00Z"), in: tokyo), 1800)
        XCTAssertEqual(monthly.longestGap(from: at("2026-12-05T00:00:00Z"), in: tokyo), 31 * 86_400)
        // A week across the end of daylight saving time in New York is 169 hours.
        XCTAssertEqual(try CronSchedule("0 4 * * 0").longestGap(from: at("2026-12-05T00:00:00Z"), in: newYork), 7 * 86_400 + 3600)
        XCTAssertEqual(try CronSchedule("0 4 * * 0").longestGap(from: at("2026-12-05T00:00:00Z"), in: tokyo), 7 * 86_400)

        for bad in ["60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "* * * *", "x * * * *"] {
            XCTAssertThrowsError(try CronSchedule(bad), bad)
        }
    }

    func testEveryRegistryJobIsOneTheLedgerKnowsAndNamesABuiltExecutable() throws {
        XCTAssertEqual(Set(JobRegistry.jobs.map(\.name)).count, JobRegistry.jobs.count, "names are unique")
        XCTAssertEqual(RunLedger.jobs, JobRegistry.jobs.map(\.name))
        for job in JobRegistry.jobs {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: TestEnvironment.binDirectory + "/" + job.executable), job.name)
            XCTAssertLessThanOrEqual(job.grace, Int(job.schedule.longestGap(from: Date(), in: tokyo)), "\(job.name): grace within a period")
        }
    }

    func testTheShippedCrontabIsTheRegistrysTemplate() throws {
        let shipped = try String(contentsOfFile: TestEnvironment.packageRoot + "/crontab", encoding: .utf8)
        XCTAssertEqual(shipped, Crontab.template, "regenerate it: nightshift crontab --template > crontab")
        let printed = try runToEnd("nightshift", ["crontab", "--template"], environment: [:])
        XCTAssertEqual(printed.stdout, shipped)
    }

    func testSystemdUnitsPassSystemdsOwnChecksAndFireWhenCronWould() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try runToEnd("nightshift", ["systemd", dir + "/units", "--config", dir + "/ns.json"], environment: ["TIMEZONE": "Asia/Tokyo"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/units").sorted()
        XCTAssertEqual(files.count, JobRegistry.jobs.count * 2)
        let verify = try runToEnd("/usr/bin/systemd-analyze", ["verify", "--man=no"] + files.map { dir + "/units/" + $0 }, environment: [:])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(verify.stderr, "")

        let backup = try String(contentsOfFile: dir + "/units/nightshift-backup.timer", encoding: .utf8)
        XCTAssertTrue(backup.contains("\nOnCalendar=*-*-* 01:00:00 Asia/Tokyo\nPersistent=true\n"), backup)
        let service = try String(contentsOfFile: dir + "/units/nightshift-backup.service", encoding: .utf8)
        XCTAssertTrue(service.contains("\nTimeoutStartSec=7200\n") && service.contains("/backup\nTimeoutStartSec"), service)
        XCTAssertTrue(try String(contentsOfFile: dir + "/units/nightshift-status-collect.timer", encoding: .utf8).contains("OnCalendar=*-*-* *:00,30:00 Asia/Tokyo"))

        // systemd's own reading of each OnCalendar= against the cron schedule's next fire times.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm:ss 'UTC'"
        for job in JobRegistry.jobs {
            let event = try SystemdUnits.onCalendar(job.schedule, zone: tokyo)
            let shown = try runToEnd("/usr/bin/systemd-analyze", ["calendar", "--iterations=4", event], environment: ["TZ": "UTC"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            let times = shown.stdout.split(separator: "\n").compactMap { line -> Date? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("Next elapse: ") || text.hasPrefix("Iter. #") else { return nil }
                return formatter.date(from: String(text[text.index(after: text.firstIndex(of: ":")!)...]).trimmingCharacters(in: .whitespaces))
            }
            XCTAssertEqual(times.count, 4, shown.stdout)
            for (earlier, later) in zip(times, times.dropFirst()) {
                XCTAssertEqual(job.schedule.next(after: earlier, in: tokyo), later, "\(job.name): \(event)")
            }
        }
        XCTAssertThrowsError(try SystemdUnits.onCalendar(try CronSchedule("0 0 13 * fri"), zone: tokyo))
    }

    func testCronJobsPassTheKubernetesSchemasStrictly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"timezone": "Asia/Tokyo", "log": {"level": "info"}}"#.write(toFile: dir + "/ns.json", atomically: true, encoding: .utf8)
        let made = try runToEnd("nightshift", ["kubernetes", "--config", dir + "/ns.json", "--image", "registry.example/nightshift:1.0"],
                                environment: [:])
        XCTAssertEqual(made.status, 0, made.stderr)
        try made.stdout.write(toFile: dir + "/all.yaml", atomically: true, encoding: .utf8)
        let validator = TestEnvironment.required("NIGHTSHIFT_TEST_KUBERNETES_VALIDATE")
        let valid = try runToEnd(validator, ["--strict", "--quiet", dir + "/all.yaml"], environment: [:])
        XCTAssertEqual(valid.status, 0, valid.stdout + valid.stderr)

        // The validator does reject what is wrong (a field CronJob does not have).
        try made.stdout.replacingOccurrences(of: "  concurrencyPolicy: Forbid\n", with: "  concurrencyPolicy: Forbid\n  retryForever: true\n")
            .write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try runToEnd(validator, ["--strict", "--quiet", dir + "/bad.yaml"], environment: [:]).status, 0)

        // What each CronJob says, read back as YAML.
        let check = """
            import json, sys, yaml
            docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            out = {"config": docs[0]["data"]["config.json"], "jobs": {}}
            for d in docs[1:]:
                s = d["spec"]; j = s["jobTemplate"]["spec"]; c = j["template"]["spec"]["containers"][0]
                out["jobs"][d["metadata"]["name"]] = {
                    "schedule": s["schedule"], "zone": s["timeZone"], "policy": s["concurrencyPolicy"],
                    "deadline": s["startingDeadlineSeconds"], "active": j["activeDeadlineSeconds"],
                    "noRetry": j["podFailurePolicy"]["rules"][0]["onExitCodes"]["values"],
                    "restart": j["template"]["spec"]["restartPolicy"], "command": c["command"] + c["args"],
                    "secrets": sorted(e["name"] for e in c["env"] if "valueFrom" in e)}
            print(json.dumps(out))
            """
        let read = try runToEnd(TestEnvironment.required("NIGHTSHIFT_TEST_PYTHON"), ["-c", check, dir + "/all.yaml"], environment: [:])
        XCTAssertEqual(read.status, 0, read.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(parsed["config"] as? String, #"{"timezone": "Asia/Tokyo", "log": {"level": "info"}}"# + "\n")
        let jobs = parsed["jobs"] as! [String: [String: Any]]
        XCTAssertEqual(Set(jobs.keys), Set(JobRegistry.jobs.map { "nightshift-" + $0.name }))
        for job in JobRegistry.jobs {
            let spec = jobs["nightshift-" + job.name]!
            XCTAssertEqual(spec["schedule"] as? String, job.schedule.expression)
            XCTAssertEqual(spec["zone"] as? String, "Asia/Tokyo")
            XCTAssertEqual(spec["policy"] as? String, "Forbid")
            XCTAssertEqual(spec["active"] as? Int, job.maxDuration)
            XCTAssertEqual(spec["noRetry"] as? [Int], [64, 78])
            XCTAssertEqual(spec["restart"] as? String, "Never")
            XCTAssertEqual(spec["command"] as? [String], ["/opt/nightshift/bin/" + job.executable] + job.arguments)
            XCTAssertEqual(spec["secrets"] as? [String], ["DATABASE_URL", "SMTP_PASSWORD"])
            // Missed schedules are counted only inside the deadline: far fewer than 100 fit in it.
            let deadline = spec["deadline"] as! Int
            XCTAssertLessThan(Double(deadline), job.schedule.longestGap(from: Date(), in: tokyo))
            XCTAssertGreaterThan(deadline, 0)
        }
    }
}
