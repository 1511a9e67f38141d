import Documents
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// `invoice` as a process: October 2026 billed on 1 November, every amount worked out by hand
/// (plans as in InvoiceAmountsTests).
final class InvoiceRunTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try loadContracts()
    }

    var environment: [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output",
         "INVOICE_ISSUER_NAME": "株式会社ナイトシフト", "INVOICE_ISSUER_ADDRESS": "東京都渋谷区神南1-2-3",
         "INVOICE_ISSUER_REGISTRATION_NUMBER": "T9234567890123"]
    }

    func invoice(_ arguments: [String], _ extra: [String: String] = [:]) throws -> ProcessResult {
        try runToEnd("invoice", arguments, environment: environment.merging(extra) { $1 })
    }

    /// Usage rows for a company: `users(day)` and `engineers(day)` for each day of October given.
    func usage(_ company: Int, days: ClosedRange<Int> = 1...31, skip: Set<Int> = [], users: String, engineers: String) throws {
        try db.connection.execute(script: """
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT \(company), date '2026-09-30' + d, \(users), 0, \(engineers), 0, 0, 0, 0, 0, 0, 1
              FROM generate_series(\(days.lowerBound), \(days.upperBound)) d
             WHERE d <> ALL ('{\(skip.map(String.init).joined(separator: ","))}'::int[])
            """)
    }

    func loadContracts() throws {
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'usage-aggregate', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO contract_plan (id, name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen) VALUES
              (1, 'Standard', 50000, 10, 1000, 5, 3000),
              (2, 'Odd', 12345, 0, 7, 0, 0),
              (3, 'Broken', 50000, 10, -1000, 5, 3000);
            INSERT INTO company (id, name, billing_email, postal_code, address)
            SELECT i, n, 'billing' || i || '@example.jp', '150-0041', '東京都渋谷区神南' || i
              FROM unnest(ARRAY['No Overage KK', 'Users KK', 'Both KK', 'Limits KK', 'Mid KK', 'Empty KK', 'Odd KK',
                                'NoPlan KK', 'Negative KK', 'Ended KK', 'Cancelled KK', 'Gap KK']) WITH ORDINALITY AS t(n, i);
            INSERT INTO contract (id, company_id, plan_id, starts_on, ends_on, status) VALUES
              (1, 1, 1, '2025-04-01', NULL, 'active'),
              (2, 2, 1, '2025-04-01', NULL, 'active'),
              (3, 3, 1, '2025-04-01', NULL, 'active'),
              (4, 4, 1, '2025-04-01', NULL, 'active'),
              (5, 5, 1, '2026-10-16', NULL, 'active'),
              (6, 6, 1, '2025-04-01', NULL, 'active'),
              (7, 7, 2, '2025-04-01', NULL, 'active'),
              (8, 8, NULL, '2025-04-01', NULL, 'active'),
              (9, 9, 3, '2025-04-01', NULL, 'active'),
              (10, 10, 1, '2025-04-01', '2026-10-20', 'active'),
              (11, 11, 1, '2025-04-01', NULL, 'cancelled'),
              (12, 12, 1, '2025-04-01', NULL, 'active');
            """)
        try usage(1, users: "8", engineers: "3")
        try usage(2, users: "CASE WHEN d = 15 THEN 13 ELSE 10 END", engineers: "4")
        try usage(3, users: "12", engineers: "CASE WHEN d < 20 THEN 6 ELSE 7 END")
        try usage(4, users: "10", engineers: "5")
        try usage(5, users: "CASE WHEN d < 16 THEN 20 ELSE 11 END", engineers: "5")  // 20 users before the contract began
        try usage(7, users: "3", engineers: "0")
        try usage(8, users: "1", engineers: "1")
        try usage(9, users: "12", engineers: "0")
        try usage(10, users: "1", engineers: "1")
        try usage(12, skip: [10], users: "1", engineers: "1")
    }

    func invoices() throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for row in try db.connection.query("""
            SELECT recipient_name, invoice_number, period_start::text AS ps, period_end::text AS pe, issue_date::text AS issued,
                   due_date::text AS due, subtotal_yen, tax_yen, total_yen
              FROM invoice
            """).rows {
            result[try row.string("recipient_name")] = try ["invoice_number", "ps", "pe", "issued", "due", "subtotal_yen", "tax_yen", "total_yen"]
                .map { try row.string($0) }
        }
        return result
    }

    func openFailures() throws -> [String: String] { try db.openFailures(job: "invoice") }

    func testAMonthOfContractsBilledExactlyOnce() throws {
        let first = try invoice(["--now", "2026-11-01T06:00"])
        XCTAssertEqual(first.status, 1, first.stderr)
        let expected: [String: [String]] = [
            "No Overage KK": ["INV-202610-000001-000001", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-01", "50000", "5000", "55000"],
            "Users KK": ["INV-202610-000002-000002", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-01", "53000", "5300", "58300"],
            "Both KK": ["INV-202610-000003-000003", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-01", "58000", "5800", "63800"],
            "Limits KK": ["INV-202610-000004-000004", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-01", "50000", "5000", "55000"],
            "Mid KK": ["INV-202610-000005-000005", "2026-10-16", "2026-10-31", "2026-11-01", "2026-12-01", "51000", "5100", "56100"],
            "Odd KK": ["INV-202610-000007-000007", "2026-10-01", "2026-10-31", "2026-11-01", "2026-12-01", "12366", "1236", "13602"],
            // Ended on the 20th: billed for 1–20 October (full base fee: no proration by default).
            "Ended KK": ["INV-202610-000010-000010", "2026-10-01", "2026-10-20", "2026-11-01", "2026-12-01", "50000", "5000", "55000"],
        ]
        XCTAssertEqual(try invoices(), expected)
        let failures = try openFailures()
        XCTAssertEqual(Set(failures.keys), ["contract:6:2026-10", "contract:8:2026-10", "contract:9:2026-10", "contract:12:2026-10"])
        XCTAssertEqual(failures["contract:6:2026-10"], "no usage_log rows for company 6 from 2026-10-01 to 2026-10-31")
        XCTAssertEqual(failures["contract:8:2026-10"], "contract 8 has no plan")
        XCTAssertEqual(failures["contract:9:2026-10"], "plan Broken: price_per_user_yen is negative (-1000)")
        XCTAssertTrue(failures["contract:12:2026-10"]?.hasPrefix("usage_log has 30 of the 31 days") == true, failures["contract:12:2026-10"] ?? "")
        XCTAssertTrue(first.stderr.contains("contract 8 has no plan"), first.stderr)

        let lines = try db.connection.query("""
            SELECT string_agg(l.description || ' ' || l.quantity || '×' || l.unit_price_yen || '=' || l.amount_yen, ' | ' ORDER BY l.line_no) AS t
              FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.contract_id = 3
            """).first!.string("t")
        XCTAssertEqual(lines, "基本料金(Standard) 1×50000=50000 | 追加ユーザー(10名超過分) 2×1000=2000 | 追加エンジニア(5名超過分) 2×3000=6000")
        let issuer = try db.connection.query("SELECT DISTINCT issuer_name, issuer_registration, tax_rate_percent FROM invoice").rows
        XCTAssertEqual(issuer.count, 1)
        XCTAssertEqual(try issuer[0].string("issuer_registration"), "T9234567890123")
        XCTAssertEqual(try issuer[0].int("tax_rate_percent"), 10)

        // A rerun a day later creates nothing and changes nothing.
        let rerun = try invoice(["--month", "2026-10", "--now", "2026-11-02T06:00"])
        XCTAssertEqual(rerun.status, 1)
        XCTAssertEqual(try invoices(), expected)
        XCTAssertEqual(try db.connection.query("SELECT occurrences FROM batch_failures WHERE item_key = 'contract:8:2026-10'").first!.int("occurrences"), 2)

        // The plan is fixed: the next run bills that contract, issued that day, and resolves its failure.
        try db.connection.execute(script: "UPDATE contract SET plan_id = 1 WHERE id = 8")
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-03T06:00"]).status, 1)
        var now = try invoices()
        XCTAssertEqual(now.removeValue(forKey: "NoPlan KK"),
                       ["INV-202610-000008-000008", "2026-10-01", "2026-10-31", "2026-11-03", "2026-12-03", "50000", "5000", "55000"])
        XCTAssertEqual(now, expected)
        XCTAssertEqual(Set(try openFailures().keys), ["contract:6:2026-10", "contract:9:2026-10", "contract:12:2026-10"])
        let run = try db.connection.query("SELECT metadata->>'created' AS c, metadata->>'existing' AS e FROM batch_runs WHERE job = 'invoice' ORDER BY id DESC LIMIT 1").first!
        XCTAssertEqual([try run.string("c"), try run.string("e")], ["1", "7"])
    }

    func testDryRunPrintsTheInvoicesAndWritesNothing() throws {
        let result = try invoice(["--dry-run", "--month", "2026-10", "--now", "2026-11-01T06:00"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "number\tcompany\tperiod\tsubtotal_yen\ttax_yen\ttotal_yen")
        XCTAssertEqual(lines.count, 9)
        XCTAssertTrue(lines.contains("INV-202610-000005-000005\tMid KK\t2026-10-16..2026-10-31\t51000\t5100\t56100"), result.stdout)
        XCTAssertEqual(lines.last, "2026-10: 7 invoice(s) would be created, 0 exist already, 4 cannot be billed")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 0)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_failures").first!.int("n"), 0)
    }

    func testTheDefaultMonthIsTheOneBeforeNowInTheConfiguredZone() throws {
        // 2026-10-31T15:30Z is 1 November 00:30 in Tokyo: October is billed.
        XCTAssertEqual(try invoice(["--now", "2026-10-31T15:30:00Z"]).status, 1)
        XCTAssertEqual(try db.connection.query("SELECT DISTINCT billing_month::text AS m, issue_date::text AS d FROM invoice").rows
            .map { try $0.string("m") + " " + $0.string("d") }, ["2026-10-01 2026-11-01"])
    }

    func testConfigurationAndUsageErrors() throws {
        let missing = try invoice(["--month", "2026-10"], ["INVOICE_ISSUER_REGISTRATION_NUMBER": ""])
        XCTAssertEqual(missing.status, 78)
        XCTAssertTrue(missing.stderr.contains("invoice.issuer.registration_number"), missing.stderr)
        let malformed = try invoice(["--month", "2026-10"], ["INVOICE_ISSUER_REGISTRATION_NUMBER": "T12345"])
        XCTAssertEqual(malformed.status, 78)
        XCTAssertTrue(malformed.stderr.contains("T followed by 13 digits"), malformed.stderr)
        XCTAssertEqual(try invoice(["--month", "2026-10"], ["INVOICE_TAX_RATE_PERCENT": "-5"]).status, 78)
        XCTAssertEqual(try invoice(["--month", "2026-13"]).status, 64)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 0)
    }

    func testEachInvoiceHasOneVerifiedPDFThatSaysWhatTheRowSays() throws {
        XCTAssertEqual(try invoice(["--now", "2026-11-01T06:00"]).status, 1)
        let directory = root + "/output/invoices/2026-10"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(files, ["INV-202610-000001-000001.pdf", "INV-202610-000002-000002.pdf", "INV-202610-000003-000003.pdf",
                               "INV-202610-000004-000004.pdf", "INV-202610-000005-000005.pdf", "INV-202610-000007-000007.pdf",
                               "INV-202610-000010-000010.pdf"])
        let row = try db.connection.query("SELECT pdf_path, pdf_sha256 FROM invoice WHERE contract_id = 3").first!
        let path = try row.string("pdf_path")
        XCTAssertEqual(path, directory + "/INV-202610-000003-000003.pdf")
        XCTAssertEqual(try FileDigest.sha256(ofFile: path), try row.string("pdf_sha256"))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue, 0o600)

        let pdf = try PDFText.read(path)
        XCTAssertEqual(pdf.pageCount, 1)
        XCTAssertTrue(PDFText.withoutWhitespace(pdf.text).contains("BothKK御中"), pdf.text)
        for expected in ["請求書", "INV-202610-000003-000003", "ご利用期間(取引期間): 2026年10月1日〜2026年10月31日", "発行日: 2026年11月1日", "お支払期限: 2026年12月1日",
                         "株式会社ナイトシフト", "登録番号: T9234567890123", "追加エンジニア(5名超過分)", "¥6,000",
                         "10%対象 小計(税抜)", "¥58,000", "消費税(10%)", "¥5,800", "¥63,800",
                         "2026年10月1日 から 2026年10月31日 までのご利用分です。"] {
            XCTAssertTrue(pdf.text.contains(expected), "\(expected) in \(pdf.text)")
        }

        // --regenerate re-renders the same bytes; a changed template changes the text, never the number or amounts.
        XCTAssertEqual(try invoice(["--month", "2026-10", "--regenerate", "--now", "2026-11-05T06:00"]).status, 1)
        XCTAssertEqual(try FileDigest.sha256(ofFile: path), try row.string("pdf_sha256"))
        let templates = root + "/templates"
        try FileManager.default.createDirectory(atPath: templates + "/invoice", withIntermediateDirectories: true)
        for name in ["issuer", "payment"] {
            try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot + "/templates/invoice/\(name).mustache",
                                             toPath: templates + "/invoice/\(name).mustache")
        }
        try "毎度ありがとうございます。{{max_users}}名でご利用いただきました。".write(toFile: templates + "/invoice/notes.mustache", atomically: true, encoding: .utf8)
        XCTAssertEqual(try invoice(["--month", "2026-10", "--regenerate", "--now", "2026-11-05T06:00"], ["TEMPLATES_DIR": templates]).status, 1)
        let changed = try PDFText.read(path).text
        XCTAssertTrue(changed.contains("毎度ありがとうございます。12名でご利用いただきました。"), changed)
        XCTAssertTrue(changed.contains("INV-202610-000003-000003") && changed.contains("¥63,800") && changed.contains("2026年11月1日"))
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM invoice").first!.int("n"), 7)
    }

    func testAPDFThatFailsItsCheckNeverTakesItsFinalName() throws {
        // A control character cannot be shown: the read-back text lacks the recipient's name.
        try db.connection.execute(script: "UPDATE company SET name = 'Bell' || chr(7) || 'KK' WHERE id = 2")
        let result = try invoice(["--now", "2026-11-01T06:00"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("INV-202610-000002-000002: the PDF's text lacks the recipient"), result.stderr)
        let directory = root + "/output/invoices/2026-10"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(files.count, 6, "\(files)")
        XCTAssertFalse(files.contains { $0.contains("000002") }, "neither the PDF nor its partial is left: \(files)")
        XCTAssertEqual(try openFailures()["pdf:INV-202610-000002-000002"]?.hasPrefix("the PDF's text lacks the recipient"), true)
        XCTAssertTrue(try db.connection.query("SELECT rendered_at IS NULL AS pending FROM invoice WHERE contract_id = 2").first!.bool("pending"))

        // Fixed (here in the invoice's copy of the name): the next run renders it and resolves the failure.
        try db.connection.execute(script: "UPDATE invoice SET recipient_name = 'Bell KK' WHERE contract_id = 2")
        XCTAssertEqual(try invoice(["--now", "2026-11-01T07:00"]).status, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/INV-202610-000002-000002.pdf"))
        XCTAssertNil(try openFailures()["pdf:INV-202610-000002-000002"])
    }
}
