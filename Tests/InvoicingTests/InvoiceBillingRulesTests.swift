import Commands
import Documents
import Foundation
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// The billing rules found wrong in use: contracts ending or starting in the month, proration,
/// suspended and cancelled contracts, failure keys per month, months not over, plan display
/// names and registration numbers. Same October as InvoiceRunTests, amounts worked out by hand.
extension InvoiceRunTests {
    func testDailyProrationChargesTheBaseFeeForTheBilledDaysOnly() throws {
        let result = try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"], ["INVOICE_PRORATION": "daily"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let all = try invoices()
        // Mid KK from the 16th: ¥50,000 × 16 / 31 = 25,806.45 → ¥25,806; 11 users: 1 × ¥1,000.
        // Subtotal ¥26,806; tax ⌊2,680.6⌋ = ¥2,680; total ¥29,486.
        XCTAssertEqual(all["Mid KK"], ["INV-202610-000005-000005", "2026-10-16", "2026-10-31", "2026-11-01", "2026-12-01", "26806", "2680", "29486"])
        // Ended KK until the 20th: ¥50,000 × 20 / 31 = 32,258.06 → ¥32,258; tax ¥3,225.
        XCTAssertEqual(all["Ended KK"], ["INV-202610-000010-000010", "2026-10-01", "2026-10-20", "2026-11-01", "2026-12-01", "32258", "3225", "35483"])
        // A whole month is not prorated.
        XCTAssertEqual(all["No Overage KK"]?.suffix(3), ["50000", "5000", "55000"])
        let line = try db.connection.query("""
            SELECT l.description || ' ' || l.quantity || '×' || l.unit_price_yen AS t FROM invoice_line l
              JOIN invoice i ON i.id = l.invoice_id WHERE i.contract_id = 5 AND l.line_no = 1
            """).first!.string("t")
        XCTAssertEqual(line, "基本料金(Standard 10/16〜10/31 日割 16/31日) 1×25806")
        XCTAssertEqual(try invoice(["--month", "2026-10"], ["INVOICE_PRORATION": "weekly"]).status, 78)
    }

    func testSuspendedContractsAreBilledAndCancelledOnesUpToTheirEnd() throws {
        try db.connection.execute(script: """
            INSERT INTO company (id, name, billing_email) VALUES (13, 'Suspended KK', 'a@example.jp'),
                (14, 'Cancelled Mid KK', 'b@example.jp'), (15, 'Ended Before KK', 'c@example.jp'), (16, 'Starts Later KK', 'd@example.jp');
            INSERT INTO contract (id, company_id, plan_id, starts_on, ends_on, status) VALUES
              (13, 13, 1, '2025-04-01', NULL, 'suspended'),
              (14, 14, 1, '2025-04-01', '2026-10-10', 'cancelled'),
              (15, 15, 1, '2025-04-01', '2026-09-30', 'active'),
              (16, 16, 1, '2026-11-01', NULL, 'active');
            """)
        for company in 13...16 { try usage(company, users: "2", engineers: "1") }
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"]).status, 1)
        let all = try invoices()
        XCTAssertEqual(all["Suspended KK"]?[1...2], ["2026-10-01", "2026-10-31"])
        XCTAssertEqual(all["Cancelled Mid KK"]?[1...2], ["2026-10-01", "2026-10-10"])
        XCTAssertNil(all["Ended Before KK"], "ended in September: nothing in October")
        XCTAssertNil(all["Starts Later KK"], "starts in November")
        XCTAssertNil(all["Cancelled KK"], "cancelled with no end: called off before its service began")
    }

    func testAFailureOfOneMonthStaysOpenWhenTheNextMonthSucceeds() throws {
        // October lacks the 10th for Gap KK; November is complete.
        try db.connection.execute(script: """
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT 12, d::date, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 FROM generate_series(date '2026-11-01', date '2026-11-30', interval '1 day') d
            """)
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"]).status, 1)
        XCTAssertEqual(try invoice(["--month", "2026-11", "--now", "2026-12-01T06:00"]).status, 1)
        let failures = try openFailures()
        XCTAssertNotNil(failures["contract:12:2026-10"], "October is still unbilled: \(failures.keys.sorted())")
        XCTAssertNil(failures["contract:12:2026-11"])
        XCTAssertTrue(failures["contract:6:2026-10"]?.contains("2026-10-01 to 2026-10-31") == true)
        XCTAssertTrue(failures["contract:6:2026-11"]?.contains("2026-11-01 to 2026-11-30") == true, "each month keeps its own reason")
    }

    func testAMonthThatHasNotEndedIsAUsageError() throws {
        let current = try invoice(["--month", "2026-11", "--now", "2026-11-20T10:00"])
        XCTAssertEqual(current.status, 64, current.stderr)
        XCTAssertTrue(current.stderr.contains("--month 2026-11: that month has not ended yet"), current.stderr)
        XCTAssertEqual(try invoice(["--month", "2027-01", "--now", "2026-11-20T10:00"]).status, 64)
        // 2026-10-31T15:30Z is already November in Tokyo: October is over.
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-10-31T15:30:00Z"]).status, 1)
        XCTAssertEqual(try invoice(["--month", "2026-11", "--now", "2026-10-31T15:30:00Z", "--dry-run"]).status, 64)
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_runs WHERE job = 'invoice'").first!.int("n"), 1)
    }

    func testARegistrationNumberWithAWrongCheckDigitIsAConfigurationError() throws {
        // T9234567890123 is valid: 9 − (3·1+2·2+1·1+0·2+9·1+8·2+7·1+6·2+5·1+4·2+3·1+2·2 = 72) mod 9 = 9; swapping the
        // last two digits gives 73, check digit 8.
        let typo = try invoice(["--month", "2026-10"], ["INVOICE_ISSUER_REGISTRATION_NUMBER": "T9234567890132"])
        XCTAssertEqual(typo.status, 78, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("invoice.issuer.registration_number"), typo.stderr)
        XCTAssertTrue(typo.stderr.contains("check digit"), typo.stderr)
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"],
                                   ["INVOICE_ISSUER_REGISTRATION_NUMBER": "T9234567890132", "INVOICE_ISSUER_CHECK_DIGIT": "false"]).status, 1)
    }

    func testLinesUseThePlansDisplayName() throws {
        try db.connection.execute(script: "UPDATE contract_plan SET display_name = 'スタンダードプラン' WHERE id = 1")
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"]).status, 1)
        let lines = try db.connection.query("""
            SELECT string_agg(l.description, ' | ' ORDER BY l.line_no) AS t FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
             WHERE i.contract_id IN (3, 7) GROUP BY i.contract_id ORDER BY i.contract_id
            """).rows.map { try $0.string("t") }
        XCTAssertEqual(lines, ["基本料金(スタンダードプラン) | 追加ユーザー(10名超過分) | 追加エンジニア(5名超過分)", "基本料金(Odd) | 追加ユーザー(0名超過分)"])
    }

    func testADryRunOfABilledMonthSaysSoAndLogsNoErrors() throws {
        XCTAssertEqual(try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"]).status, 1)
        let errorLog = root + "/logs/batch_errors.log"
        let errorsBefore = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
        let dry = try invoice(["--dry-run", "--month", "2026-10", "--now", "2026-11-02T06:00"])
        XCTAssertEqual(dry.status, 1, dry.stderr)
        XCTAssertEqual(dry.stdout.split(separator: "\n").last, "2026-10: 7 invoice(s) exist already; nothing would be created")
        XCTAssertEqual((try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? "", errorsBefore,
                       "a rehearsal's item failures are not errors")
        let all = try String(contentsOfFile: root + "/logs/batch_processing.log", encoding: .utf8)
        let rehearsal = all.split(separator: "\n").filter { $0.contains("invoice cannot be computed") && $0.contains("\"dry_run\":true") }
        XCTAssertEqual(rehearsal.count, 4, all)
        XCTAssertTrue(rehearsal.allSatisfy { $0.contains("\"level\":\"warning\"") })
    }

    func testLongNamesAndAddressesWrapBetweenPhrasesAndPassTheCheck() throws {
        try db.connection.execute(script: """
            UPDATE company SET name = '株式会社ミッドナイト・クラウドソリューションズ・ジャパン',
                               address = '東京都渋谷区神南1-2-3 ナイトシフトビル4階 経理部請求書受付センター気付' WHERE id = 1;
            UPDATE company SET name = 'Midnight Cloud Solutions International Ltd.' WHERE id = 2;
            """)
        let result = try invoice(["--month", "2026-10", "--now", "2026-11-01T06:00"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertFalse(result.stderr.contains("lacks the recipient"), result.stderr)
        XCTAssertEqual(try openFailures().keys.filter { $0.hasPrefix("pdf:") }, [])
        let directory = root + "/output/invoices/2026-10"
        let japanese = try PDFText.read(directory + "/INV-202610-000001-000001.pdf").text
        let lines = japanese.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.contains("ナイトシフトビル4階") }, "the building's name is not split: \(lines)")
        XCTAssertTrue(lines.contains { $0.contains("クラウドソリューションズ・") }, "the name breaks between phrases: \(lines)")
        XCTAssertTrue(PDFText.withoutWhitespace(japanese).contains("株式会社ミッドナイト・クラウドソリューションズ・ジャパン御中"))
        let latin = try PDFText.read(directory + "/INV-202610-000002-000002.pdf").text
        XCTAssertTrue(latin.split(separator: "\n").contains { $0.contains("Midnight Cloud Solutions International Ltd.") },
                      "a Latin name of 43 characters shrinks onto one line: \(latin)")
    }
}

final class FailureKeyMigrationTests: XCTestCase {
    func testOpenContractFailuresTakeTheirRunsMonth() throws {
        let db = try TestDatabase(migrated: false)
        let all = Schema.suite.migrations()
        try Migrator(migrations: all.filter { $0.version < 5 }).migrate(db.connection)
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status, arguments, metadata) VALUES
              (1, 'invoice', 'h', 1, 'partial', '{}', '{"month": "2026-09"}'),
              (2, 'invoice', 'h', 1, 'failed', '{--month,2026-08}', '{}'),
              (3, 'invoice', 'h', 1, 'failed', '{}', '{}'),
              (4, 'rate-calc', 'h', 1, 'partial', '{}', '{}');
            INSERT INTO batch_failures (run_id, job, item_key, error, first_seen_at) VALUES
              (1, 'invoice', 'contract:5', 'no plan', '2026-10-01 06:00+09'),
              (2, 'invoice', 'contract:6', 'no plan', '2026-09-01 06:00+09'),
              (3, 'invoice', 'contract:7', 'no plan', '2026-07-01 00:30+09'),
              (1, 'invoice', 'pdf:INV-202609-000001-000001', 'bad', now()),
              (4, 'rate-calc', 'contract:5', 'other job', now());
            """)
        try Migrator(migrations: all).migrate(db.connection)
        let keys = try db.connection.query("SELECT job || ' ' || item_key AS k FROM batch_failures ORDER BY id").rows.map { try $0.string("k") }
        XCTAssertEqual(keys, ["invoice contract:5:2026-09", "invoice contract:6:2026-08", "invoice contract:7:2026-06",
                              "invoice pdf:INV-202609-000001-000001", "rate-calc contract:5"])
    }
}
