import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// `invoice --send` and `invoice send` as processes, against a real SMTP server on 127.0.0.1
/// whose own MIME parser reads what arrived.
final class InvoiceMailTests: DatabaseTestCase {
    func environment(_ smtpURL: String) -> [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output",
         "INVOICE_ISSUER_NAME": "株式会社ナイトシフト", "INVOICE_ISSUER_ADDRESS": "東京都渋谷区神南1-2-3",
         "INVOICE_ISSUER_REGISTRATION_NUMBER": "T9234567890123",
         "SMTP_URL": smtpURL, "SMTP_STARTTLS": "off", "SMTP_FROM": "billing@nightshift.example", "SMTP_FROM_NAME": "ナイトシフト 請求担当",
         "SMTP_RETRY_BASE_DELAY_MS": "10", "SMTP_RETRY_MAX_DELAY_MS": "20"]
    }

    func invoice(_ arguments: [String], smtp: String, _ extra: [String: String] = [:]) throws -> ProcessResult {
        try runToEnd("invoice", arguments, environment: environment(smtp).merging(extra) { $1 })
    }

    /// `count` companies on the Standard plan (50,000 yen, 10 users and 5 engineers included), each
    /// with 8 users and 3 engineers all October: 50,000 + 5,000 tax = 55,000 yen each.
    func contracts(_ count: Int) throws {
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'usage-aggregate', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO contract_plan (id, name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen)
            VALUES (1, 'Standard', 50000, 10, 1000, 5, 3000);
            INSERT INTO company (id, name, billing_email, postal_code, address)
            SELECT i, '株式会社テスト' || i, 'keiri' || i || '@customer.example', '150-0041', '東京都渋谷区神南' || i
              FROM generate_series(1, \(count)) i;
            INSERT INTO contract (id, company_id, plan_id, starts_on) SELECT i, i, 1, '2025-04-01' FROM generate_series(1, \(count)) i;
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT c, date '2026-09-30' + d, 8, 0, 3, 0, 0, 0, 0, 0, 0, 1
              FROM generate_series(1, \(count)) c, generate_series(1, 31) d;
            """)
    }

    func deliveries() throws -> [String: (status: String, messageID: String, attempts: Int)] {
        var result: [String: (String, String, Int)] = [:]
        for row in try db.connection.query("""
            SELECT i.invoice_number, d.status, d.message_id, d.attempts, d.sent_at IS NOT NULL AS has_sent_at
              FROM mail_outbox d JOIN invoice i ON d.about = 'invoice:' || i.id
            """).rows {
            XCTAssertEqual(try row.bool("has_sent_at"), try row.string("status") == "sent")
            result[try row.string("invoice_number")] = (try row.string("status"), try row.string("message_id"), try row.int("attempts"))
        }
        return result
    }

    func openFailures() throws -> [String: String] { try db.openFailures(job: "invoice") }

    /// SIGTERM while the invoices are written, SIGINT while their letters are posted to the outbox:
    /// each run finishes its unit, sends nothing after the signal and is `interrupted`; the next run
    /// mails them, each invoice once.
    func testEachSignalStopsTheRunBetweenUnitsAndTheNextRunMailsTheRestOnce() throws {
        try contracts(4)
        let sink = try SMTPSink()
        let arguments = ["--send", "--now", "2026-11-01T06:00"]
        let term = try runStopped("invoice", arguments, environment: environment(sink.url), signal: SIGTERM, holding: "invoice", in: db)
        XCTAssertEqual(term.status, 143, term.stderr)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 4, "the chunk being written finished")
        XCTAssertEqual(try sink.messages().count, 0, "no mail started after the signal")
        let int = try runStopped("invoice", arguments, environment: environment(sink.url), signal: SIGINT, holding: "mail_outbox", in: db)
        XCTAssertEqual(int.status, 130, int.stderr)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE status = 'pending'").first!.int("n"), 4,
                       "the letters being posted were posted")
        XCTAssertEqual(try sink.messages().count, 0, "no mail started after the signal")
        let rest = try invoice(arguments, smtp: sink.url)
        XCTAssertEqual(rest.status, 0, rest.stderr)

        XCTAssertEqual(try db.connection.query("SELECT status FROM batch_runs WHERE job = 'invoice' ORDER BY id").rows.map { try $0.string("status") },
                       ["interrupted", "interrupted", "succeeded"])
        let messages = try sink.messages()
        XCTAssertEqual(messages.count, 4)
        XCTAssertEqual(Set(messages.map(\.message_id)).count, 4, "each invoice mailed once")
        XCTAssertEqual(Set(try deliveries().values.map(\.status)), ["sent"])
    }

    /// `invoice`, then `invoice send`, each started twice at once: the second is `skipped` (the two
    /// share one lock); each invoice is made once and mailed once.
    func testTwoStartsAtOnceInvoiceAndMailEachContractOnce() throws {
        try contracts(3)
        let sink = try SMTPSink()
        let made = try runTwiceAtOnce("invoice", ["--now", "2026-11-01T06:00"], environment: environment(sink.url), holding: "invoice", in: db)
        XCTAssertEqual(made.first.status, 0, made.first.stderr)
        XCTAssertEqual(made.second.status, 0, made.second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "invoice"), ["succeeded", "skipped"])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n, count(DISTINCT company_id) AS c FROM invoice").first!.int("c"), 3)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 3)

        let sent = try runTwiceAtOnce("invoice", ["send"], environment: environment(sink.url),
                                      holding: "mail_outbox", in: db)
        XCTAssertEqual(sent.first.status, 0, sent.first.stderr)
        XCTAssertEqual(sent.second.status, 0, sent.second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "invoice-send"), ["succeeded", "skipped"])
        let messages = try sink.messages()
        XCTAssertEqual(messages.count, 3)
        XCTAssertEqual(Set(messages.map(\.message_id)).count, 3, "each invoice mailed once")
    }

    func testEachInvoiceIsMailedOnceWithItsPDFToItsBillingAddress() throws {
        try contracts(3)
        let sink = try SMTPSink()
        let first = try invoice(["--send", "--now", "2026-11-01T06:00"], smtp: sink.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout + first.stderr, "", "quiet on success")

        let messages = try sink.messages().sorted { $0.rcpt_tos[0] < $1.rcpt_tos[0] }
        XCTAssertEqual(messages.map(\.rcpt_tos), [["keiri1@customer.example"], ["keiri2@customer.example"], ["keiri3@customer.example"]])
        let delivered = try deliveries()
        for (n, message) in messages.enumerated() {
            let number = String(format: "INV-202610-%06d-%06d", n + 1, n + 1)
            let row = try db.connection.query("SELECT pdf_path, pdf_sha256 FROM invoice WHERE invoice_number = $1", [number]).first!
            XCTAssertEqual(message.mail_from, "billing@nightshift.example")
            XCTAssertEqual(message.from, "ナイトシフト 請求担当 <billing@nightshift.example>")
            XCTAssertEqual(message.subject, "【請求書】2026年10月分 ご請求のお知らせ(\(number))")
            XCTAssertEqual(message.message_id, "<invoice.\(number)@nightshift.example>")
            XCTAssertEqual(delivered[number]?.messageID, "invoice.\(number)@nightshift.example")
            XCTAssertEqual(delivered[number]?.status, "sent")
            XCTAssertEqual(delivered[number]?.attempts, 1)
            let text = message.text ?? ""
            for expected in ["株式会社テスト\(n + 1) 御中", "請求書番号: \(number)", "ご請求金額(税込): ¥55,000", "お支払期限: 2026年12月1日",
                             "2026年10月分(2026年10月1日〜2026年10月31日)"] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
            XCTAssertEqual(message.attachments.count, 1)
            XCTAssertEqual(message.attachments[0].filename, "請求書_\(number).pdf")
            XCTAssertEqual(message.attachments[0].content_type, "application/pdf")
            let path = try row.string("pdf_path")
            XCTAssertEqual(message.attachments[0].sha256, try row.string("pdf_sha256"))
            XCTAssertEqual(message.attachments[0].size, (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue)
        }

        // Reruns find nothing to send.
        XCTAssertEqual(try invoice(["--send", "--now", "2026-11-01T07:00"], smtp: sink.url).status, 0)
        XCTAssertEqual(try invoice(["send"], smtp: sink.url).status, 0)
        XCTAssertEqual(try sink.messages().count, 3)
        let runs = try db.connection.query("SELECT metadata->>'mailed' AS m FROM batch_runs WHERE job IN ('invoice', 'invoice-send') ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("m") }, ["3", "0", "0"])
    }

    func testWithTheServerDownInvoicesStayUnsentAndTheNextRunSendsThem() throws {
        try contracts(3)
        let port = SMTPSink.freePort()
        let down = try invoice(["--send", "--now", "2026-11-01T06:00"], smtp: "smtp://127.0.0.1:\(port)",
                               ["SMTP_RETRY_MAX_ATTEMPTS": "3"])
        XCTAssertEqual(down.status, 1, down.stderr)
        XCTAssertTrue(down.stderr.contains("3 unsent"), down.stderr)
        var delivered = try deliveries()
        XCTAssertEqual(delivered.count, 3)
        XCTAssertEqual(Set(delivered.values.map(\.status)), ["pending"])
        // The first invoice was tried three times; the server being unreachable, the others were not tried.
        XCTAssertEqual(delivered["INV-202610-000001-000001"]?.attempts, 3)
        XCTAssertEqual(delivered["INV-202610-000002-000002"]?.attempts, 0)
        let failures = try openFailures()
        XCTAssertEqual(Set(failures.keys), ["mail:INV-202610-000001-000001", "mail:INV-202610-000002-000002", "mail:INV-202610-000003-000003"])
        XCTAssertTrue(failures["mail:INV-202610-000002-000002"]!.hasPrefix("not sent: smtp://127.0.0.1:\(port)"), failures.description)
        XCTAssertEqual(try db.connection.query("SELECT status FROM batch_runs WHERE job = 'invoice'").first!.string("status"), "partial")

        // The server is back: `invoice send` sends all three under the Message-IDs fixed before.
        let sink = try SMTPSink(port: port)
        let again = try invoice(["send"], smtp: sink.url)
        XCTAssertEqual(again.status, 0, again.stderr)
        let messages = try sink.messages()
        XCTAssertEqual(Set(messages.map(\.message_id)), Set(delivered.values.map { "<\($0.messageID)>" }))
        delivered = try deliveries()
        XCTAssertEqual(Set(delivered.values.map(\.status)), ["sent"])
        XCTAssertEqual(delivered["INV-202610-000001-000001"]?.attempts, 4)
        XCTAssertEqual(try openFailures(), [:])
    }

    func testATemporaryRefusalIsRetriedAndARejectedAddressIsAnItemFailure() throws {
        try contracts(3)
        let sink = try SMTPSink(defer: 1, reject: ["keiri2@customer.example"])
        let result = try invoice(["--send", "--now", "2026-11-01T06:00"], smtp: sink.url)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("INV-202610-000002-000002 to keiri2@customer.example"), result.stderr)
        XCTAssertEqual(Set(try sink.messages().map { $0.rcpt_tos[0] }), ["keiri1@customer.example", "keiri3@customer.example"])
        let delivered = try deliveries()
        XCTAssertEqual(delivered["INV-202610-000001-000001"]?.attempts, 2, "451 once, then accepted")
        XCTAssertEqual(delivered["INV-202610-000002-000002"]?.status, "pending")
        XCTAssertEqual(delivered["INV-202610-000002-000002"]?.attempts, 1, "a 550 is not retried")
        XCTAssertEqual(delivered["INV-202610-000003-000003"]?.status, "sent")
        XCTAssertTrue(try openFailures()["mail:INV-202610-000002-000002"]?.contains("550") == true)
    }

    func testLoginFromTheEnvironmentAndThePasswordIsNeverShown() throws {
        try contracts(1)
        let password = "pw-\(UInt32.random(in: 100_000...999_999))"
        let sink = try SMTPSink(auth: "nightshift:\(password)")
        let refused = try invoice(["--send", "--now", "2026-11-01T06:00"], smtp: sink.url,
                                  ["SMTP_USERNAME": "nightshift", "SMTP_PASSWORD": password + "x"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(try sink.messages().count, 0)
        let sent = try invoice(["send"], smtp: sink.url, ["SMTP_USERNAME": "nightshift", "SMTP_PASSWORD": password, "LOG_LEVEL": "debug"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(try sink.messages().map(\.login), ["nightshift"])
        var everything = refused.stdout + refused.stderr + sent.stdout + sent.stderr
        for name in try FileManager.default.contentsOfDirectory(atPath: root + "/logs") {
            everything += try String(contentsOfFile: root + "/logs/" + name, encoding: .utf8)
        }
        everything += try db.connection.query("SELECT coalesce(string_agg(error, ' '), '') AS e FROM batch_failures").first!.string("e")
        XCTAssertFalse(everything.contains(password), "the SMTP password leaked")
    }

    func testMailSettingsAreCheckedBeforeAnythingIsWritten() throws {
        try contracts(1)
        for (extra, key) in [(["SMTP_URL": ""], "smtp.url"), (["SMTP_URL": "http://127.0.0.1:25"], "smtp.url"),
                             (["SMTP_URL": "smtp://user:pw@127.0.0.1"], "smtp.url"), (["SMTP_FROM": "billing"], "smtp.from"),
                             (["SMTP_STARTTLS": "maybe"], "smtp.starttls"), (["SMTP_PASSWORD": "secret-pw"], "smtp.username")] {
            let result = try invoice(["--send", "--now", "2026-11-01T06:00"], smtp: "smtp://127.0.0.1:25", extra)
            XCTAssertEqual(result.status, 78, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(key), "\(extra): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("secret-pw"))
            XCTAssertEqual(try invoice(["send"], smtp: "smtp://127.0.0.1:25", extra).status, 78)
        }
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 0)
        // Without --send (and invoice.send unset) the mail settings are not needed.
        XCTAssertEqual(try invoice(["--now", "2026-11-01T06:00"], smtp: "", ["SMTP_FROM": ""]).status, 0)
    }

    func testDryRunOfSendListsWhatWouldGo() throws {
        try contracts(2)
        let sink = try SMTPSink()
        XCTAssertEqual(try invoice(["--now", "2026-11-01T06:00"], smtp: sink.url).status, 0)
        let dry = try invoice(["send", "--dry-run"], smtp: sink.url)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(dry.stdout, """
            number\trecipient\tmessage_id
            INV-202610-000001-000001\tkeiri1@customer.example\t<invoice.INV-202610-000001-000001@nightshift.example>
            INV-202610-000002-000002\tkeiri2@customer.example\t<invoice.INV-202610-000002-000002@nightshift.example>

            """)
        XCTAssertEqual(try sink.messages().count, 0)
        XCTAssertEqual(try deliveries().count, 0)
        // config invoice.send does what --send does.
        XCTAssertEqual(try invoice(["--now", "2026-11-01T07:00"], smtp: sink.url, ["INVOICE_SEND": "true"]).status, 0)
        XCTAssertEqual(try sink.messages().count, 2)
    }

    func killInvoice(_ arguments: [String], smtp: String, when condition: () throws -> Bool) throws {
        try runUntilKilled("invoice", arguments, environment: environment(smtp), when: condition)
    }

    /// Pages of 200 are committed while the next is drawn: three pages, a bad PDF in the second.
    func testEveryPageOfAMonthIsRenderedAndCommittedWithABadPDFInTheMiddle() throws {
        try contracts(401)
        try db.connection.execute(script: "UPDATE company SET name = 'Bell' || chr(7) || 'KK' WHERE id = 300")
        let result = try invoice(["--now", "2026-11-01T06:00"], smtp: "smtp://127.0.0.1:9")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("INV-202610-000300-000300: the PDF's text lacks the recipient"), result.stderr)

        let rows = try db.connection.query("""
            SELECT invoice_number, pdf_path, pdf_sha256 FROM invoice WHERE rendered_at IS NOT NULL ORDER BY contract_id
            """).rows
        XCTAssertEqual(rows.count, 400)
        for row in rows {
            XCTAssertEqual(try FileDigest.sha256(ofFile: try row.string("pdf_path")), try row.string("pdf_sha256"))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/output/invoices/2026-10")
        XCTAssertEqual(files.sorted(), try rows.map { "\(try $0.string("invoice_number")).pdf" }.sorted(), "no partials, no bad PDF")
        XCTAssertEqual(try db.openFailures(job: "invoice").keys.sorted(), ["pdf:INV-202610-000300-000300"])
    }

    func testKilledWhileDrawingAndWhileMailingThenRerunEveryContractHasOneInvoiceOnePDFOneEmail() throws {
        try contracts(200)
        let sink = try SMTPSink()
        let directory = root + "/output/invoices/2026-10"
        let arguments = ["--send", "--now", "2026-11-01T06:00"]
        try killInvoice(arguments, smtp: sink.url) {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".partial") }.count >= 20
        }
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice WHERE rendered_at IS NOT NULL").first!.int("n"), 0)
        try killInvoice(arguments, smtp: sink.url) {
            try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE status = 'sent'").first!.int("n") >= 50
        }
        XCTAssertLessThan(try sink.messages().count, 200, "killed before the last message")

        let rerun = try invoice(arguments, smtp: sink.url)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)

        let rows = try db.connection.query("""
            SELECT i.contract_id, i.invoice_number, i.pdf_path, i.pdf_sha256, d.status, d.message_id
              FROM invoice i LEFT JOIN mail_outbox d ON d.about = 'invoice:' || i.id ORDER BY i.contract_id
            """).rows
        XCTAssertEqual(try rows.map { try $0.int("contract_id") }, Array(1...200), "one invoice per contract")
        var files: [String] = []
        let walker = FileManager.default.enumerator(atPath: root + "/output")!
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/output/" + name, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(name) }
        }
        XCTAssertEqual(files.sorted(), try rows.map { "invoices/2026-10/\(try $0.string("invoice_number")).pdf" }.sorted(),
                       "one PDF per invoice and nothing else (no partials)")
        var expectedIDs = Set<String>()
        for row in rows {
            XCTAssertEqual(try FileDigest.sha256(ofFile: try row.string("pdf_path")), try row.string("pdf_sha256"))
            XCTAssertEqual(try row.string("status"), "sent")
            expectedIDs.insert("<\(try row.string("message_id"))>")
        }
        let messages = try sink.messages()
        var perID: [String: Int] = [:]
        for message in messages { perID[message.message_id, default: 0] += 1 }
        XCTAssertEqual(Set(perID.keys), expectedIDs, "every invoice mailed, under its own Message-ID")
        // SMTP cannot make the server's "accepted" and our record of it one step: a message the kill
        // interrupted between the two goes again, under the same Message-ID. Nothing else repeats.
        XCTAssertLessThanOrEqual(messages.count, 201)
        XCTAssertLessThanOrEqual(perID.values.max() ?? 0, 2)
        for message in messages {
            XCTAssertEqual(message.attachments.count, 1)
        }
        let statuses = try db.connection.query("SELECT status FROM batch_runs WHERE job = 'invoice' ORDER BY id").rows.map { try $0.string("status") }
        XCTAssertEqual(statuses, ["abandoned", "abandoned", "succeeded"])
        XCTAssertEqual(try openFailures(), [:])
    }

    /// An installation upgraded from the `mail_delivery` table: what was sent is not sent again,
    /// and an interrupted delivery goes out under the Message-ID it already had.
    func testDeliveriesRecordedBeforeTheOutboxKeepTheirStateThroughTheMigration() throws {
        try contracts(2)
        let sink = try SMTPSink()
        XCTAssertEqual(try invoice(["--now", "2026-11-01T06:00"], smtp: sink.url).status, 0)
        // Back to the schema before the outbox, with the table exactly as migration 0004 made it.
        let billing = try String(contentsOfFile: TestEnvironment.packageRoot + "/Sources/Invoicing/Migrations/0004_billing.sql", encoding: .utf8)
        let ddl = billing[billing.range(of: "CREATE TABLE mail_delivery")!.lowerBound...]
        try db.connection.execute(script: """
            DROP TABLE mail_outbox;
            DELETE FROM schema_migrations WHERE version IN (6, 7);
            \(ddl[..<ddl.range(of: ");")!.upperBound])
            INSERT INTO mail_delivery (invoice_id, recipient, message_id, status, attempts, sent_at) VALUES
              (1, 'keiri1@customer.example', 'invoice.INV-202610-000001-000001@nightshift.example', 'sent', 1, '2026-11-01 06:00:05+09'),
              (2, 'old-address@customer.example', 'invoice.INV-202610-000002-000002@old.example', 'pending', 2, NULL);
            """)
        let migrate = try runToEnd("nightshift", ["migrate"], environment: environment(sink.url))
        XCTAssertEqual(migrate.status, 0, migrate.stderr)

        let send = try invoice(["send"], smtp: sink.url)
        XCTAssertEqual(send.status, 0, send.stderr)
        let messages = try sink.messages()
        XCTAssertEqual(messages.map(\.message_id), ["<invoice.INV-202610-000002-000002@old.example>"], "only the unsent one, under its ID")
        XCTAssertEqual(messages.map(\.rcpt_tos), [["old-address@customer.example"]], "to the address it was posted to")
        let rows = try db.connection.query("""
            SELECT about, status, attempts, to_char(sent_at AT TIME ZONE 'Asia/Tokyo', 'HH24:MI:SS') AS sent FROM mail_outbox ORDER BY about
            """).rows.map { "\(try $0.string("about")) \(try $0.string("status")) \(try $0.int("attempts")) \(try $0.optionalString("sent") ?? "-")" }
        XCTAssertEqual(rows.first, "invoice:1 sent 1 06:00:05")
        XCTAssertTrue(rows.last?.hasPrefix("invoice:2 sent 3 ") == true, "\(rows)")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(try db.connection.query("SELECT to_regclass('mail_delivery') IS NULL AS gone").first!.bool("gone"), true)
    }
}
