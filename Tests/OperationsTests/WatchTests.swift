import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// Each watch condition provoked: its alert fires once, repeats at the cadence, recovers once;
/// mail through the outbox, the webhook's JSON and the heartbeat as a real server receives them.
final class WatchTests: WatchTestCase {
    func testConditionsFireRepeatAndRecoverOnceEach() throws {
        let sink = try SMTPSink()
        // Watching since Tuesday 1 December 00:00; now Monday 7 December 10:00 (Tokyo).
        let since = at("2026-12-01T00:00:00+09:00"), now = at("2026-12-07T10:00:00+09:00")
        try ledgerOnTime(since: since, until: at("2026-12-07T18:30:00+09:00"), skipping: ["backup", "rate-calc"])
        try ledgerOnTime(since: since, until: now, only: ["rate-calc"])
        // rate-calc failed twice since its last success (it alerts after 2), usage-aggregate has
        // been running for 2 hours (maximum 30 min), 3 open dead letters (threshold 2).
        try run("rate-calc", at: at("2026-12-07T06:20:00+09:00"), status: "failed", error: "disk full")
        try run("rate-calc", at: at("2026-12-07T06:40:00+09:00"), status: "failed", error: "disk full again")
        try run("usage-aggregate", at: at("2026-12-07T08:00:00+09:00"), status: "running")
        try db.connection.execute(script: """
            INSERT INTO batch_failures (run_id, job, item_key, error) SELECT max(id), 'invoice', 'contract:' || k, 'x'
              FROM batch_runs, generate_series(1, 3) k GROUP BY k;
            """)
        let env = ["WATCH_ALERT_EMAILS": "ops@nightshift.example", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
                   "SMTP_FROM": "watch@nightshift.example", "WATCH_WEBHOOK_URL": hookURL("hook"), "WATCH_HEARTBEAT_URL": hookURL("beat"),
                   "WATCH_DEAD_LETTER_THRESHOLD": "2"]

        let first = try watch("2026-12-07T10:00:00+09:00", env)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout + first.stderr, "", "quiet under cron, alerts or not")
        let firing = ["dead_letters", "failing:rate-calc", "late:backup", "missed:backup", "running_long:usage-aggregate"]
        XCTAssertEqual(try openAlerts(), firing)
        XCTAssertEqual(try notices().sorted(), firing.map { "fired " + $0 })
        let mails = try sink.messages()
        XCTAssertEqual(mails.count, 5)
        XCTAssertEqual(Set(mails.map(\.rcpt_tos)), [["ops@nightshift.example"]])
        let missed = mails.first { $0.subject.contains("missed:backup") }
        XCTAssertEqual(missed?.subject, "[nightshift] \(db.name): CRITICAL missed:backup")
        XCTAssertTrue(missed?.text?.contains("backup: no run started for the one due at 2026-12-07T01:00:00+09:00 (grace 1 h)") ?? false,
                      missed?.text ?? "")
        XCTAssertTrue(mails.first { $0.subject.contains("failing:rate-calc") }?.text?
            .contains("rate-calc: 2 run(s) in a row not succeeded, the last failed: disk full again") ?? false)
        XCTAssertTrue(mails.first { $0.subject.contains("running_long") }?.text?
            .contains("usage-aggregate: run") ?? false)
        let hooks = try hookRequests("hook")
        XCTAssertEqual(hooks.count, 5)
        for hook in hooks {
            XCTAssertEqual(hook["method"] as? String, "POST")
            XCTAssertEqual(hook["content_type"] as? String, "application/json")
            let body = try JSONSerialization.jsonObject(with: Data((hook["body"] as! String).utf8)) as! [String: Any]
            let alert = body["alert"] as! [String: Any]
            XCTAssertTrue((body["text"] as! String).contains(alert["key"] as! String))
            XCTAssertEqual(alert["event"] as? String, "fired")
            XCTAssertEqual(body["database"] as? String, db.name)
        }
        XCTAssertEqual(try hookRequests("beat").map { $0["method"] as? String }, ["GET"])

        // Five minutes on: nothing new to say.
        XCTAssertEqual(try watch("2026-12-07T10:05:00+09:00", env).status, 0)
        XCTAssertEqual(try sink.messages().count, 5)
        XCTAssertEqual(try hookRequests("hook").count, 5)
        XCTAssertEqual(try hookRequests("beat").count, 2)

        // Four hours after the first notice (watch.repeat_minutes 240): each still firing is
        // repeated. rate-calc's 12:15 run failed too: its last success (06:15) is now older than
        // its period and grace (6 h 30 min), a new alert.
        try run("rate-calc", at: at("2026-12-07T12:16:00+09:00"), status: "failed", error: "disk full")
        XCTAssertEqual(try watch("2026-12-07T14:00:00+09:00", env).status, 0)
        XCTAssertEqual(try notices().filter { $0.hasPrefix("repeated") }.sorted(), firing.map { "repeated " + $0 })
        XCTAssertEqual(try notices().filter { $0.hasPrefix("fired") }.count, 6)
        XCTAssertTrue(try notices().contains("fired late:rate-calc"))
        XCTAssertEqual(try sink.messages().count, 11)

        // rate-calc succeeds, usage-aggregate finishes, the dead letters resolve: one recovery each.
        try run("rate-calc", at: at("2026-12-07T13:30:00+09:00"), status: "succeeded")
        try db.connection.execute(script: """
            UPDATE batch_runs SET status = 'succeeded', finished_at = started_at + interval '3 hours' WHERE status = 'running' AND job = 'usage-aggregate';
            UPDATE batch_failures SET resolved_at = now();
            """)
        XCTAssertEqual(try watch("2026-12-07T14:10:00+09:00", env).status, 0)
        XCTAssertEqual(try openAlerts(), ["late:backup", "missed:backup"])
        XCTAssertEqual(try notices().filter { $0.hasPrefix("recovered") }.sorted(),
                       ["recovered dead_letters", "recovered failing:rate-calc", "recovered late:rate-calc",
                        "recovered running_long:usage-aggregate"])
        let recovered = try sink.messages().filter { $0.subject.contains("recovered") }
        XCTAssertEqual(recovered.count, 4)
        XCTAssertTrue(recovered.first { $0.subject.hasSuffix("recovered failing:rate-calc") }?.text?
            .contains("Recovered at 2026-12-07T14:10:00+09:00 after 4 h 10 min.") ?? false)
        XCTAssertEqual(try hookRequests("hook").count, 15)
        XCTAssertEqual(try watch("2026-12-07T14:15:00+09:00", env).status, 0)
        XCTAssertEqual(try sink.messages().count, 15, "a recovery is said once")

        // Snoozed: backup's alerts stay open and are not repeated.
        let snooze = try runToEnd("nightshift", ["alerts", "snooze", "backup", "--until", "2026-12-31T00:00"], environment: environment())
        XCTAssertEqual(snooze.status, 0, snooze.stderr)
        XCTAssertEqual(try watch("2026-12-07T18:30:00+09:00", env).status, 0)
        XCTAssertEqual(try sink.messages().count, 15)
        XCTAssertEqual(try openAlerts(), ["late:backup", "missed:backup"])

        let listed = try runToEnd("nightshift", ["alerts", "--json"], environment: environment())
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.filter { $0["state"] as? String == "open" }.compactMap { $0["key"] as? String }.sorted(), ["late:backup", "missed:backup"])
        XCTAssertEqual(rows.filter { $0["state"] as? String == "closed" }.count, 4)
        XCTAssertEqual(Set(rows.filter { $0["state"] as? String == "open" }.map { $0["snoozed_until"] as? String }), ["2026-12-31T00:00:00+09:00"])
        XCTAssertEqual(try runToEnd("nightshift", ["alerts", "snooze", "no-such-job", "--until", "2026-12-31T00:00"], environment: environment()).status, 64)
    }

    func testAnAlertThatCannotBeDeliveredStaysPendingAndGoesOnALaterRun() throws {
        let since = at("2026-12-01T00:00:00+09:00"), now = at("2026-12-07T10:00:00+09:00")
        try ledgerOnTime(since: since, until: now, skipping: ["backup"])
        try "503".write(toFile: site.directory + "/hook.status", atomically: true, encoding: .utf8)
        let down = ["WATCH_ALERT_EMAILS": "ops@nightshift.example", "SMTP_URL": "smtp://127.0.0.1:\(SMTPSink.freePort())",
                    "SMTP_STARTTLS": "off", "SMTP_FROM": "watch@nightshift.example", "WATCH_WEBHOOK_URL": hookURL("hook"),
                    "SMTP_RETRY_BASE_DELAY_MS": "10", "SMTP_RETRY_MAX_DELAY_MS": "20"]
        let failed = try watch("2026-12-07T10:00:00+09:00", down)
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("not delivered") || failed.stderr.contains("alert"), failed.stderr)
        XCTAssertEqual(try openAlerts(), ["late:backup", "missed:backup"])
        XCTAssertEqual(try hookRequests("hook").count, 2 * 3, "each notice tried 3 times")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM alert_notice WHERE webhook_status = 'pending'").first!.int("n"), 2)

        // Both back: the same two notices go, once; nothing new is made.
        let sink = try SMTPSink()
        try FileManager.default.removeItem(atPath: site.directory + "/hook.status")
        var up = down
        up["SMTP_URL"] = sink.url
        XCTAssertEqual(try watch("2026-12-07T10:05:00+09:00", up).status, 0)
        XCTAssertEqual(try sink.messages().map(\.subject).sorted(),
                       ["[nightshift] \(db.name): CRITICAL late:backup", "[nightshift] \(db.name): CRITICAL missed:backup"])
        XCTAssertEqual(try hookRequests("hook").filter { $0["status"] as? Int == 200 }.count, 2)
        XCTAssertEqual(try watch("2026-12-07T10:10:00+09:00", up).status, 0)
        XCTAssertEqual(try sink.messages().count, 2)
        XCTAssertEqual(try hookRequests("hook").filter { $0["status"] as? Int == 200 }.count, 2)
        XCTAssertEqual(try notices().sorted(), ["fired late:backup", "fired missed:backup"])
    }

    /// Started twice at once: the second is `skipped`; each alert opens once and is mailed once.
    func testTwoStartsAtOnceOpenAndSendEachAlertOnce() throws {
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-07T10:00:00+09:00"), skipping: ["backup"])
        let sink = try SMTPSink()
        let env = environment(["WATCH_ALERT_EMAILS": "ops@nightshift.example", "SMTP_URL": sink.url, "SMTP_STARTTLS": "off",
                               "SMTP_FROM": "watch@nightshift.example"])
        let (first, second) = try runTwiceAtOnce("nightshift", ["watch", "--now", "2026-12-07T10:00:00+09:00"], environment: env,
                                                 holding: "alert", mode: "EXCLUSIVE", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "watch"), ["succeeded", "succeeded", "skipped"], "the seeded first watch, then these two")
        XCTAssertEqual(try notices().sorted(), ["fired late:backup", "fired missed:backup"])
        XCTAssertEqual(try sink.messages().count, 2)
    }

    /// SIGTERM, then SIGINT, while the alert state is written: the state commits, no notice is
    /// sent after the signal, the run is `interrupted`; the next watch sends each notice once.
    func testEachSignalStopsTheWatchBeforeItSendsAndTheNextWatchSendsOnce() throws {
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-07T10:00:00+09:00"), skipping: ["backup"])
        let env = environment(["WATCH_WEBHOOK_URL": hookURL("hook")])
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let stopped = try runStopped("nightshift", ["watch", "--now", "2026-12-07T10:00:00+09:00"], environment: env, signal: signal,
                                         holding: "alert", mode: "EXCLUSIVE", in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
        }
        XCTAssertEqual(try notices().sorted(), ["fired late:backup", "fired missed:backup"], "the state was written once")
        XCTAssertEqual(try hookRequests("hook").count, 0, "nothing sent after the signal")
        XCTAssertEqual(try watch("2026-12-07T10:05:00+09:00", ["WATCH_WEBHOOK_URL": hookURL("hook")]).status, 0)
        XCTAssertEqual(try hookRequests("hook").count, 2)
        XCTAssertEqual(try db.runStatuses(job: "watch"), ["succeeded", "interrupted", "interrupted", "succeeded"])
    }
}
