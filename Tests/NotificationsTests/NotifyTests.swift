import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// `notify` as a process against a real queue and a real SMTP sink: each notification delivered
/// once, the bad ones kept with their reason, transient failures retried with backoff and then
/// given up, two processes draining one queue, a killed run's claims taken over.
final class NotifyTests: DatabaseTestCase {
    func environment(_ smtpURL: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "SMTP_URL": smtpURL, "SMTP_STARTTLS": "off",
         "SMTP_FROM": "notice@nightshift.example", "SMTP_RETRY_MAX_ATTEMPTS": "1",
         "TEMPLATES_DIR": TestEnvironment.packageRoot + "/templates"].merging(extra) { $1 }
    }

    @discardableResult
    func queue(_ channel: String, _ recipient: String, template: String = "message_received",
               params: String = #"{"name": "山田", "sender": "株式会社テスト", "preview": "面談のご相談"}"#) throws -> Int {
        try db.connection.query("""
            INSERT INTO notification (channel, recipient, template, params, due_at) VALUES ($1, $2, $3, $4::jsonb, '2026-12-07T09:00:00+09:00')
            RETURNING id
            """, [channel, recipient, template, params]).first!.int("id")
    }

    func status(_ id: Int) throws -> (status: String, attempts: Int, error: String?) {
        let row = try db.connection.query("SELECT status, attempts, last_error FROM notification WHERE id = $1", [id]).first!
        return (try row.string("status"), try row.int("attempts"), try row.optionalString("last_error"))
    }

    func testEachNotificationIsDeliveredOnceAndTheBadOnesAreKeptWithTheirReason() throws {
        let sink = try SMTPSink()
        let mail = try queue("email", "yamada@engineer.example")
        let inApp = try queue("in_app", "user:42")
        let sms = try queue("sms", "+81-90-0000-0000")
        let noTemplate = try queue("email", "a@engineer.example", template: "no_such_template")
        let badAddress = try queue("email", "not an address")

        let first = try runToEnd("notify", ["--now", "2026-12-07T09:00:30+09:00"], environment: environment(sink.url))
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("3 item(s) failed"), first.stderr)
        let messages = try sink.messages()
        XCTAssertEqual(messages.map(\.subject), ["株式会社テストさんからメッセージが届きました"])
        XCTAssertEqual(messages.first?.message_id, "<notification.\(mail)@nightshift.example>")
        XCTAssertEqual(messages.first?.rcpt_tos, ["yamada@engineer.example"])
        XCTAssertTrue(messages.first?.text?.contains("「面談のご相談」") ?? false, messages.first?.text ?? "")

        XCTAssertEqual(try status(mail).status, "delivered")
        let shown = try db.connection.query("SELECT status, subject, body FROM notification WHERE id = $1", [inApp]).first!
        XCTAssertEqual(try shown.string("status"), "delivered")
        XCTAssertEqual(try shown.string("subject"), "株式会社テストさんからメッセージが届きました")
        XCTAssertTrue(try shown.string("body").hasPrefix("山田 様"))
        XCTAssertEqual(try status(sms).status, "rejected")
        XCTAssertEqual(try status(sms).error, "channel \"sms\" is not supported (email, in_app)")
        XCTAssertEqual(try status(noTemplate).status, "failed")
        XCTAssertTrue(try status(noTemplate).error?.contains("no template \"no_such_template\"") ?? false)
        XCTAssertEqual(try status(badAddress).status, "failed")
        XCTAssertEqual(Set(try db.openFailures(job: "notify").keys), ["notification:\(sms)", "notification:\(noTemplate)", "notification:\(badAddress)"])

        // Nothing is due any more: a rerun sends nothing, and the kept ones stay as they are.
        let again = try runToEnd("notify", ["--now", "2026-12-07T09:01:30+09:00"], environment: environment(sink.url))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout + again.stderr, "", "quiet on success")
        XCTAssertEqual(try sink.messages().count, 1)
        XCTAssertEqual(try status(sms).status, "rejected")
    }

    func testATransientFailureIsRetriedWithBackoffAndGivenUpAfterTheLastAttempt() throws {
        // The sink answers 451 twice: attempts at 09:00, 09:01 (+60 s) and 09:03 (+120 s).
        let sink = try SMTPSink(defer: 2)
        let id = try queue("email", "yamada@engineer.example")
        let env = environment(sink.url, ["NOTIFY_BACKOFF_BASE_SECONDS": "60"])
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T09:00:00+09:00"], environment: env).status, 0, "a retry later is no failure")
        XCTAssertEqual(try status(id).status, "queued")
        XCTAssertEqual(try status(id).attempts, 1)
        XCTAssertEqual(try db.connection.query("SELECT due_at FROM notification WHERE id = $1", [id]).first!.date("due_at"),
                       ISO8601DateFormatter().date(from: "2026-12-07T09:01:00+09:00"))
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T09:00:59+09:00"], environment: env).status, 0)
        XCTAssertEqual(try status(id).attempts, 1, "not due yet")
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T09:01:00+09:00"], environment: env).status, 0)
        XCTAssertEqual(try db.connection.query("SELECT due_at FROM notification WHERE id = $1", [id]).first!.date("due_at"),
                       ISO8601DateFormatter().date(from: "2026-12-07T09:03:00+09:00"))
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T09:03:00+09:00"], environment: env).status, 0)
        XCTAssertEqual(try status(id).status, "delivered")
        XCTAssertEqual(try status(id).attempts, 3)
        XCTAssertEqual(try db.connection.query("SELECT array_agg(ok ORDER BY id)::text AS oks FROM notification_attempt WHERE notification_id = $1",
                                               [id]).first!.string("oks"), "{f,f,t}")
        XCTAssertEqual(try sink.messages().count, 1)

        // The server gone for good: given up after notify.max_attempts (2), dead-lettered.
        let lost = try queue("email", "sato@engineer.example")
        let down = environment("smtp://127.0.0.1:\(SMTPSink.freePort())", ["NOTIFY_MAX_ATTEMPTS": "2", "NOTIFY_BACKOFF_BASE_SECONDS": "60"])
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T10:00:00+09:00"], environment: down).status, 0)
        XCTAssertEqual(try status(lost).status, "queued")
        let last = try runToEnd("notify", ["--now", "2026-12-07T10:01:00+09:00"], environment: down)
        XCTAssertEqual(last.status, 2, "its only item failed: " + last.stderr)
        XCTAssertEqual(try status(lost).status, "failed")
        XCTAssertEqual(try status(lost).attempts, 2)
        let reason = try status(lost).error ?? ""
        XCTAssertTrue(reason.contains("(attempt 2 of 2)"), reason)
        XCTAssertEqual(Array(try db.openFailures(job: "notify").keys), ["notification:\(lost)"])

        // A refusal (550) is not retried.
        let refusing = try SMTPSink(reject: ["nobody@engineer.example"])
        let refused = try queue("email", "nobody@engineer.example")
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T11:00:00+09:00"], environment: environment(refusing.url)).status, 2)
        XCTAssertEqual(try status(refused).status, "failed")
        XCTAssertEqual(try status(refused).attempts, 1)
    }

    func testTwoProcessesDrainAThousandNotificationsEachSentExactlyOnce() throws {
        let sink = try SMTPSink()
        try db.connection.execute(script: """
            INSERT INTO notification (channel, recipient, template, params, due_at)
            SELECT 'email', 'engineer' || i || '@engineer.example', 'message_received',
                   jsonb_build_object('name', 'エンジニア' || i, 'sender', '会社' || i, 'preview', 'ご相談 ' || i), '2026-12-07T09:00:00+09:00'
              FROM generate_series(1, 1000) i;
            """)
        let arguments = ["--now", "2026-12-07T09:00:30+09:00"]
        let (a, finishA) = try runExecutable("notify", arguments, environment: environment(sink.url))
        let (b, finishB) = try runExecutable("notify", arguments, environment: environment(sink.url))
        let (resultA, resultB) = (finishA(), finishB())
        XCTAssertEqual(resultA.status, 0, resultA.stderr)
        XCTAssertEqual(resultB.status, 0, resultB.stderr)
        XCTAssertFalse(a.isRunning || b.isRunning)

        let ids = try sink.messages().map(\.message_id)
        XCTAssertEqual(ids.count, 1000)
        XCTAssertEqual(Set(ids).count, 1000, "each notification sent exactly once")
        let counts = try db.connection.query("""
            SELECT count(*) FILTER (WHERE status = 'delivered') AS delivered, (SELECT count(*) FROM notification_attempt) AS attempts
              FROM notification
            """).first!
        XCTAssertEqual(try counts.int("delivered"), 1000)
        XCTAssertEqual(try counts.int("attempts"), 1000)
        let runs = try db.connection.query("SELECT status, items_ok FROM batch_runs WHERE job = 'notify' ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["succeeded", "succeeded"], "neither skipped: they run side by side")
        XCTAssertEqual(try runs.reduce(0) { $0 + (try $1.int("items_ok")) }, 1000)
    }

    func testAKilledRunsClaimsAreTakenOverAfterTheLeaseAndNothingIsSentTwice() throws {
        let sink = try SMTPSink()
        try db.connection.execute(script: """
            INSERT INTO notification (channel, recipient, template, params, due_at)
            SELECT 'email', 'engineer' || i || '@engineer.example', 'message_received', '{"name": "n", "sender": "s", "preview": "p"}',
                   '2026-12-07T09:00:00+09:00'
              FROM generate_series(1, 200) i;
            """)
        let env = environment(sink.url, ["NOTIFY_BATCH_SIZE": "100", "NOTIFY_LEASE_SECONDS": "300"])
        try runUntilKilled("notify", ["--now", "2026-12-07T09:00:30+09:00"], environment: env) {
            try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'delivered'").first!.int("n") >= 30
        }
        let claimed = try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'claimed'").first!.int("n")
        XCTAssertGreaterThan(claimed, 0, "the killed run held claims")

        // Within the lease another run leaves them alone; after it, it takes them over.
        XCTAssertEqual(try runToEnd("notify", ["--now", "2026-12-07T09:01:00+09:00"], environment: env).status, 0)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'claimed'").first!.int("n"), claimed)
        let after = try runToEnd("notify", ["--now", "2026-12-07T09:06:00+09:00"], environment: env)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'delivered'").first!.int("n"), 200)
        var perID: [String: Int] = [:]
        for message in try sink.messages() { perID[message.message_id, default: 0] += 1 }
        XCTAssertEqual(perID.count, 200)
        XCTAssertLessThanOrEqual(perID.values.filter { $0 > 1 }.count, 1, "at most the one in flight at the kill (RFC 1047)")
    }

    /// SIGTERM, then SIGINT, while a notification's attempt is being recorded: that one finishes,
    /// the run's other claims go back to the queue at once (no waiting for the lease), the run is
    /// `interrupted`; the next run delivers the rest, each once.
    func testEachSignalReturnsTheRunsClaimsAndTheNextRunDeliversTheRest() throws {
        let sink = try SMTPSink()
        try db.connection.execute(script: """
            INSERT INTO notification (channel, recipient, template, params, due_at)
            SELECT 'email', 'engineer' || i || '@engineer.example', 'message_received', '{}', '2026-12-07T09:00:00+09:00'
              FROM generate_series(1, 20) i;
            """)
        let arguments = ["--now", "2026-12-07T09:00:30+09:00"]
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let stopped = try runStopped("notify", arguments, environment: environment(sink.url), signal: signal,
                                         holding: "notification_attempt", in: db)
            XCTAssertEqual(stopped.status, code, stopped.stderr)
            XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'claimed'").first!.int("n"), 0,
                           "the claims not worked went back")
        }
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM notification WHERE status = 'delivered'").first!.int("n"), 2)
        let rest = try runToEnd("notify", arguments, environment: environment(sink.url))
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try db.runStatuses(job: "notify"), ["interrupted", "interrupted", "succeeded"])
        let ids = try sink.messages().map(\.message_id)
        XCTAssertEqual(ids.count, 20)
        XCTAssertEqual(Set(ids).count, 20)
    }
}
