import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// The database itself down: the watcher says so by direct mail and the webhook (the outbox is in
/// the database), repeats at the cadence, and once it answers again records the outage as an alert,
/// sends one recovery naming the runs it held up, and raises none of the alerts it caused.
final class DatabaseOutageTests: WatchTestCase {
    func testAnUnreachableDatabaseIsAlertedWithoutItAndRecoveredOnce() throws {
        // Monday 7 December: every job ran on time until 00:40; the database goes before 00:45.
        try ledgerOnTime(since: at("2026-12-01T00:00:00+09:00"), until: at("2026-12-07T00:40:00+09:00"))
        let outageFile = root + "/logs/watch-database-unreachable.json"
        let mail = ["WATCH_ALERT_EMAILS": "ops@nightshift.example", "SMTP_STARTTLS": "off", "SMTP_FROM": "watch@nightshift.example",
                    "WATCH_WEBHOOK_URL": hookURL("hook"), "SMTP_RETRY_BASE_DELAY_MS": "10", "SMTP_RETRY_MAX_DELAY_MS": "20"]
        let down = mail.merging(["DATABASE_URL": "postgresql://nightshift:s3cret-outage@127.0.0.1:\(SMTPSink.freePort())/\(db.name)",
                                 "DATABASE_RETRY_MAX_ATTEMPTS": "1"]) { $1 }

        // SMTP and the webhook are down too: the notice waits in the file.
        try "503".write(toFile: site.directory + "/hook.status", atomically: true, encoding: .utf8)
        let first = try watch("2026-12-07T00:45:00+09:00", down.merging(["SMTP_URL": "smtp://127.0.0.1:\(SMTPSink.freePort())"]) { $1 })
        XCTAssertEqual(first.status, 75, first.stderr)
        XCTAssertTrue(first.stderr.contains("database unreachable"), first.stderr)
        XCTAssertEqual(try hookRequests("hook").count, 3, "tried three times")
        XCTAssertTrue(FileManager.default.fileExists(atPath: outageFile))

        // Both channels back, the database still down: the one notice goes, once.
        try FileManager.default.removeItem(atPath: site.directory + "/hook.status")
        let sink = try SMTPSink()
        let downNow = down.merging(["SMTP_URL": sink.url]) { $1 }
        XCTAssertEqual(try watch("2026-12-07T00:50:00+09:00", downNow).status, 75)
        var mails = try sink.messages()
        XCTAssertEqual(mails.map(\.subject), ["[nightshift] \(db.name): CRITICAL database_unreachable"])
        XCTAssertEqual(mails.first?.rcpt_tos, ["ops@nightshift.example"])
        XCTAssertTrue(mails.first?.text?.contains("\(db.name) cannot be reached from \(ProcessInfo.processInfo.hostName): ") ?? false,
                      mails.first?.text ?? "")
        XCTAssertTrue(mails.first?.text?.contains("Since 2026-12-07T00:45:00+09:00.") ?? false, "the notice is the 00:45 one")
        let delivered = try hookRequests("hook").filter { $0["status"] as? Int == 200 }
        XCTAssertEqual(delivered.count, 1)
        let body = try JSONSerialization.jsonObject(with: Data((delivered[0]["body"] as! String).utf8)) as! [String: Any]
        let alert = body["alert"] as! [String: Any]
        XCTAssertEqual(alert["key"] as? String, "database_unreachable")
        XCTAssertEqual(alert["event"] as? String, "fired")
        XCTAssertEqual(alert["severity"] as? String, "critical")
        XCTAssertNil(body["notice_id"], "no notice row: the database was down")
        XCTAssertEqual(try watch("2026-12-07T00:55:00+09:00", downNow).status, 75)
        XCTAssertEqual(try sink.messages().count, 1)
        XCTAssertEqual(try hookRequests("hook").count, 4)

        // Four hours after the first notice (watch.repeat_minutes 240): repeated.
        XCTAssertEqual(try watch("2026-12-07T04:45:00+09:00", downNow).status, 75)
        mails = try sink.messages()
        XCTAssertEqual(mails.map(\.subject).last, "[nightshift] \(db.name): still CRITICAL database_unreachable (notice 2)")
        XCTAssertEqual(try hookRequests("hook").count, 5)
        let kept = try String(contentsOfFile: outageFile, encoding: .utf8)
        XCTAssertFalse(kept.contains("s3cret-outage"))
        XCTAssertFalse(try sink.messages().contains { ($0.text ?? "").contains("s3cret-outage") })

        // The database answers at 04:50: the outage becomes a closed alert with one recovery; the
        // runs it held up raise no "missed" or "late" alert, and are named in the recovery.
        let up = mail.merging(["SMTP_URL": sink.url]) { $1 }
        let back = try watch("2026-12-07T04:50:00+09:00", up)
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(try openAlerts(), [])
        XCTAssertEqual(try notices(), ["recovered database_unreachable"])
        let row = try db.connection.query("""
            SELECT opened_at, closed_at, last_seen_at, notices, severity FROM alert WHERE key = 'database_unreachable'
            """).rows
        XCTAssertEqual(row.count, 1)
        XCTAssertEqual(try row[0].date("opened_at"), at("2026-12-07T00:45:00+09:00"))
        XCTAssertEqual(try row[0].date("last_seen_at"), at("2026-12-07T04:45:00+09:00"))
        XCTAssertEqual(try row[0].date("closed_at"), at("2026-12-07T04:50:00+09:00"))
        XCTAssertEqual(try row[0].int("notices"), 3)
        mails = try sink.messages()
        XCTAssertEqual(mails.count, 3)
        XCTAssertEqual(mails[2].subject, "[nightshift] \(db.name): recovered database_unreachable")
        let recovery = mails[2].text ?? ""
        XCTAssertTrue(recovery.contains("Recovered at 2026-12-07T04:50:00+09:00 after 4 h 05 min."), recovery)
        XCTAssertTrue(recovery.contains("""
            Scheduled while it was unreachable (each job catches up on its next run; `nightshift jobs` shows them): \
            status-collect 8 runs from 2026-12-07T01:00:00+09:00, backup at 2026-12-07T01:00:00+09:00, \
            usage-aggregate at 2026-12-07T03:00:00+09:00, invoice-send 4 runs from 2026-12-07T01:40:00+09:00, \
            engineer-status at 2026-12-07T02:00:00+09:00, approach-delivery 17 runs from 2026-12-07T00:45:00+09:00, \
            notify 250 runs from 2026-12-07T00:41:00+09:00.
            """), recovery)
        let recoveredHook = try hookRequests("hook").last.map { try JSONSerialization.jsonObject(with: Data(($0["body"] as! String).utf8)) as! [String: Any] }
        XCTAssertEqual((recoveredHook?["alert"] as? [String: Any])?["event"] as? String, "recovered")
        XCTAssertFalse(FileManager.default.fileExists(atPath: outageFile))

        XCTAssertEqual(try watch("2026-12-07T04:55:00+09:00", up).status, 0)
        XCTAssertEqual(try sink.messages().count, 3, "recovered once")
        XCTAssertEqual(try hookRequests("hook").count, 6)

        // What is due after the outage is judged as usual: nothing every 15 or 30 minutes has run since.
        XCTAssertEqual(try watch("2026-12-07T05:45:00+09:00", up).status, 0)
        XCTAssertEqual(try openAlerts(), ["missed:approach-delivery", "missed:status-collect"])
    }
}
