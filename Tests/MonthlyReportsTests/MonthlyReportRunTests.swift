import CSV
import Documents
import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// `monthly-report` as cron runs it, on the usage of CompanyUsageTests.
final class MonthlyReportRunTests: DatabaseTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try CompanyUsageTests.loadUsage(db)
        try systemRows(except: [])
    }

    func systemRows(except missing: [String]) throws {
        try db.connection.query("""
            INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                                   approaches, emails_sent, logins, api_calls, storage_mb, run_id)
            SELECT NULL, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM generate_series(date '2026-10-01', date '2026-10-31', '1 day') d
             WHERE NOT d::date = ANY ($1::date[])
            ON CONFLICT (company_id, usage_date) DO NOTHING
            """, [missing])
    }

    func report(_ arguments: [String], smtp: String? = nil, operators: String? = nil) throws -> ProcessResult {
        var environment = ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "OUTPUT_DIR": root + "/output"]
        if let smtp {
            environment.merge(["SMTP_URL": smtp, "SMTP_STARTTLS": "off", "SMTP_FROM": "reports@nightshift.example",
                               "SMTP_FROM_NAME": "ナイトシフト"]) { $1 }
        }
        if let operators { environment["MONTHLY_REPORT_OPERATOR_EMAILS"] = operators }
        return try runToEnd("monthly-report", arguments + ["--now", "2026-11-02T07:00"], environment: environment)
    }

    func reports() throws -> [String] {
        try db.connection.query("""
            SELECT subject_id, figures->>'companyName' AS name, figures->'usage'->'current'->>'usersSum' AS users_sum,
                   figures->'usage'->'previous' IS NULL OR figures->'usage'->'previous' = 'null' AS no_previous
              FROM report WHERE kind = 'company' AND month = '2026-10-01' ORDER BY subject_id
            """).rows.map { "\(try $0.int("subject_id")) \(try $0.string("name")) \(try $0.string("users_sum")) \(try $0.bool("no_previous"))" }
    }

    func testEachCompanyWithUsageGetsOneReportComputedOnce() throws {
        let first = try report([])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout + first.stderr, "", "quiet on success")
        XCTAssertEqual(try reports(), ["1 株式会社いち 332 false", "2 株式会社に 51 true"])
        try checkFiles()

        let again = try report([])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try reports().count, 2, "a rerun makes none twice")
        let runs = try db.connection.query("""
            SELECT metadata->>'created' AS created, metadata->>'existing' AS existing FROM batch_runs WHERE job = 'monthly-report' ORDER BY id
            """).rows.map { "\(try $0.string("created"))/\(try $0.string("existing"))" }
        XCTAssertEqual(runs, ["3/0", "0/3"], "two companies' reports and the operator's")
        let operatorText = try PDFText.read(root + "/output/reports/2026-10/operator/operator.pdf").text
        for expected in ["運用月次レポート", "システム全体の利用", "売上", "status-collect", "monthly-report"] {
            XCTAssertTrue(operatorText.contains(expected), "\(expected) in \(operatorText)")
        }
        let operatorCSV = String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/output/reports/2026-10/operator/operator.csv")),
                                 as: UTF8.self)
        XCTAssertTrue(operatorCSV.contains("\r\n請求書数,0,,—,—\r\n"), operatorCSV)
    }

    func testEachReportIsMailedOnceWithItsPDFAndCSVToTheBillingAddress() throws {
        let sink = try SMTPSink()
        let operators = "ops@nightshift.example, cto@nightshift.example"
        let badList = try report(["--send"], smtp: sink.url, operators: "ops@nightshift.example; cto")
        XCTAssertEqual(badList.status, 78)
        XCTAssertTrue(badList.stderr.contains("monthly_report.operator_emails"), badList.stderr)

        let first = try report(["--send"], smtp: sink.url, operators: operators)
        XCTAssertEqual(first.status, 0, first.stderr)
        let all = try sink.messages()
        let toOperators = all.filter { $0.subject == "【運用月次レポート】2026年10月分" }
        XCTAssertEqual(Set(toOperators.flatMap(\.rcpt_tos)), ["ops@nightshift.example", "cto@nightshift.example"], "one letter each")
        XCTAssertEqual(toOperators.first?.attachments.map(\.filename), ["運用月次レポート_2026-10.pdf", "運用月次レポート_2026-10.csv"])
        let messages = all.filter { !toOperators.map(\.message_id).contains($0.message_id) }.sorted { $0.rcpt_tos[0] < $1.rcpt_tos[0] }
        XCTAssertEqual(messages.map(\.rcpt_tos), [["a@x.example"], ["b@x.example"]])
        let mail = messages[0]
        XCTAssertEqual(mail.subject, "【月次利用レポート】2026年10月分(株式会社いち 御中)")
        XCTAssertEqual(mail.message_id, "<report.company.1.2026-10@nightshift.example>")
        XCTAssertTrue(mail.text?.contains("株式会社いち 御中") == true, mail.text ?? "")
        let directory = root + "/output/reports/2026-10/company"
        XCTAssertEqual(mail.attachments.map(\.filename), ["月次利用レポート_2026-10.pdf", "月次利用レポート_2026-10.csv"])
        XCTAssertEqual(mail.attachments[0].sha256, try FileDigest.sha256(ofFile: directory + "/1.pdf"))
        XCTAssertEqual(mail.attachments[1].sha256, try FileDigest.sha256(ofFile: directory + "/1.csv"))

        XCTAssertEqual(try report(["--send"], smtp: sink.url, operators: operators).status, 0)
        XCTAssertEqual(try sink.messages().count, 4, "a rerun sends none twice")
        XCTAssertEqual(try db.connection.query("""
            SELECT kind, subject_id, sent_at = (SELECT max(o.sent_at) FROM mail_outbox o
                                                 WHERE o.about = 'report:company:' || subject_id || ':2026-10'
                                                    OR kind = 'operator' AND o.about LIKE 'report:operator:2026-10:%') AS recorded
              FROM report ORDER BY kind, subject_id
            """).rows.map { "\(try $0.string("kind")) \(try $0.int("subject_id")) \(try $0.bool("recorded"))" },
                       ["company 1 true", "company 2 true", "operator 0 true"],
                       "each report records when its mail went; the operator's, its last letter")
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM mail_outbox WHERE status = 'sent' AND about LIKE 'report:%'")
            .first!.int("n"), 4)
    }

    /// A PDF changed after it was rendered is not mailed; --regenerate draws it again and it goes.
    func testAReportWhosePDFChangedIsNotMailedUntilRegenerated() throws {
        let sink = try SMTPSink()
        XCTAssertEqual(try report([]).status, 0)
        let pdf = root + "/output/reports/2026-10/company/1.pdf"
        try Data("%PDF-1.5 something else".utf8).write(to: URL(fileURLWithPath: pdf))
        let refused = try report(["--send"], smtp: sink.url)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(pdf) is not the PDF that was rendered (SHA-256 differs); run monthly-report --regenerate"),
                      refused.stderr)
        XCTAssertEqual(try sink.messages().flatMap(\.rcpt_tos), ["b@x.example"], "the other company's report went")

        let again = try report(["--send", "--regenerate"], smtp: sink.url)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(Set(try sink.messages().flatMap(\.rcpt_tos)), ["a@x.example", "b@x.example"])
        XCTAssertEqual(try sink.messages().count, 2)
    }

    func testAMonthWithMissingUsageDaysIsAnItemFailureNamingThemUntilTheyAreThere() throws {
        try db.connection.execute(script: "DELETE FROM usage_log WHERE company_id IS NULL AND usage_date IN ('2026-10-05', '2026-10-06')")
        let incomplete = try report([])
        XCTAssertEqual(incomplete.status, 2, "every report failed: the run failed (1 when only some do)")
        XCTAssertTrue(incomplete.stderr.contains("usage of 2026-10 is not complete: no data for 2026-10-05, 2026-10-06"), incomplete.stderr)
        XCTAssertTrue(incomplete.stderr.contains("usage-aggregate --from 2026-10-05 --to 2026-10-06"), incomplete.stderr)
        XCTAssertEqual(try reports(), [], "no report with holes")
        XCTAssertEqual(Set(try db.openFailures(job: "monthly-report").keys),
                       ["report:company:1:2026-10", "report:company:2:2026-10", "report:operator:0:2026-10"])

        try systemRows(except: [])
        XCTAssertEqual(try report([]).status, 0)
        XCTAssertEqual(try reports().count, 2)
        XCTAssertEqual(try db.openFailures(job: "monthly-report"), [:], "resolved by the run that made them")
    }

    /// Shift_JIS for older tools: look-alikes for the dashes it lacks, and a name it cannot hold is
    /// that report's failure, never a silent "?".
    func testShiftJISCSVsAndACharacterTheyCannotHold() throws {
        XCTAssertEqual(try report(["--csv-encoding", "latin1"]).status, 64)
        try db.connection.execute(script: "UPDATE company SET name = '株式会社剝野' WHERE id = 2")
        let result = try report(["--csv-encoding", "shift_jis"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("no code for \"剝\" (U+525D)"), result.stderr)

        let directory = root + "/output/reports/2026-10"
        let company = try XCTUnwrap(String(data: try Data(contentsOf: URL(fileURLWithPath: directory + "/company/1.csv")), encoding: .shiftJIS))
        XCTAssertTrue(company.contains("\r\n項目,当月,前月,増減,増減率\r\nユーザー数(最大),12,8,+4,+50.0%\r\n"), company)
        let operatorCSV = try XCTUnwrap(String(data: try Data(contentsOf: URL(fileURLWithPath: directory + "/operator/operator.csv")),
                                               encoding: .shiftJIS))
        XCTAssertTrue(operatorCSV.contains("\r\n請求書数,0,,―,―\r\n"), "the dash as Shift_JIS's horizontal bar: \(operatorCSV)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/company/2.pdf"), "the failed report took no final name")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/company/2.pdf.partial"), "and left nothing behind")
    }

    func testAMonthNotOverIsRefusedAndADryRunWritesNothing() throws {
        let early = try report(["--month", "2026-11"])
        XCTAssertEqual(early.status, 64)
        XCTAssertTrue(early.stderr.contains("--month 2026-11: that month has not ended yet"), early.stderr)

        let dry = try report(["--dry-run", "--company-id", "1", "--kind", "company"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(dry.stdout, "company 1 株式会社いち: users max 12, approaches 62, invoice none\n")
        XCTAssertEqual(try reports(), [])
        XCTAssertEqual(try db.connection.query("SELECT count(*) AS n FROM batch_runs WHERE job = 'monthly-report'").first!.int("n"), 0)
    }

    /// The PDF says who and how many; the CSV, read back by a CSV parser, holds the same figures.
    func checkFiles() throws {
        let directory = root + "/output/reports/2026-10/company"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["1.csv", "1.pdf", "2.csv", "2.pdf"])
        let pdf = directory + "/1.pdf"
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: pdf)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let text = try PDFText.read(pdf).text
        for expected in ["月次利用レポート", "2026年10月", "株式会社いち 御中", "アプローチ数", "当月の請求書はありません。"] {
            XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
        }
        let row = try db.connection.query("SELECT pdf_sha256, csv_path FROM report WHERE subject_id = 1").first!
        XCTAssertEqual(try row.string("pdf_sha256"), try FileDigest.sha256(ofFile: pdf))
        XCTAssertEqual(try row.string("csv_path"), directory + "/1.csv")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/1.csv"))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "a byte-order mark for Excel")
        let reader = try CSVReader(string: String(decoding: bytes.dropFirst(3), as: UTF8.self))
        var rows: [[String]] = []
        while let next = reader.next() { rows.append(next) }
        XCTAssertEqual(rows[0], ["月次利用レポート", "株式会社いち", "2026-10"])
        rows.removeFirst(2)
        XCTAssertEqual(rows[0], ["項目", "当月", "前月", "増減", "増減率"])
        XCTAssertEqual(rows[1], ["ユーザー数(最大)", "12", "8", "+4", "+50.0%"])
        XCTAssertEqual(rows[3], ["ユーザー数(日平均)", "10.71", "8.00", "+2.7", "+33.9%"])  // 332 / 31 against 240 / 30
        XCTAssertEqual(rows[8], ["アプローチ数", "62", "30", "+32", "+106.7%"])
        XCTAssertEqual(rows.first { $0.first == "日" }, ["日", "アクティブユーザー", "アプローチ数", "前月アクティブユーザー", "前月アプローチ数"])
        XCTAssertEqual(rows.first { $0.first == "5" }, ["5", "0", "2", "3", "1"])
        XCTAssertEqual(rows.first { $0.first == "31" }, ["31", "1", "2", "", ""], "September has no 31st")

        let newcomer = try CSVReader(string: String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory + "/2.csv")).dropFirst(3),
                                                    as: UTF8.self))
        for _ in 0..<3 { _ = newcomer.next() }
        XCTAssertEqual(newcomer.next(), ["ユーザー数(最大)", "3", "", "—", "—"], "no September: a dash, not 0 % or infinity")
    }
}
