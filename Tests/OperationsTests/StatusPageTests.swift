import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// `nightshift jobs` and the status page `nightshift watch --html` writes, the page rendered by a
/// real browser (Debian's headless Chromium).
final class StatusPageTests: WatchTestCase {
    func prepare() throws {
        let since = at("2026-12-01T00:00:00+09:00"), now = at("2026-12-07T10:00:00+09:00")
        try ledgerOnTime(since: since, until: now, skipping: ["backup"])
        try run("rate-calc", at: at("2026-12-07T09:00:00+09:00"), status: "failed", error: "disk <full>")
        try run("rate-calc", at: at("2026-12-07T09:10:00+09:00"), status: "failed", error: "disk <full>")
        try run("usage-aggregate", at: at("2026-12-07T09:00:00+09:00"), status: "running")
        try db.connection.execute(script: """
            INSERT INTO batch_failures (run_id, job, item_key, error, last_seen_at)
            SELECT max(id), 'rate-calc', 'business:7:2026-12-06', 'disk <full>', '2026-12-07T09:10:00+09:00' FROM batch_runs;
            """)
    }

    func testJobsShowsEachJobsStateAndNextRun() throws {
        try prepare()
        XCTAssertEqual(try watch("2026-12-07T10:00:00+09:00").status, 0)
        let listed = try runToEnd("nightshift", ["jobs", "--json", "--now", "2026-12-07T10:00:00+09:00"], environment: environment())
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let lines = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(lines.map { $0["job"] as! String }, JobRegistry.jobs.map(\.name))
        func line(_ job: String) -> [String: Any] { lines.first { $0["job"] as? String == job }! }
        XCTAssertEqual(line("backup")["state"] as? String, "missed")
        XCTAssertEqual(line("backup")["next_due"] as? String, "2026-12-08T01:00:00+09:00")
        XCTAssertNil(line("backup")["last_run"])
        XCTAssertEqual(line("backup")["open_alerts"] as? Int, 2)
        XCTAssertEqual(line("rate-calc")["state"] as? String, "failing")
        XCTAssertEqual(line("rate-calc")["last_status"] as? String, "failed")
        XCTAssertEqual(line("rate-calc")["open_failures"] as? Int, 1)
        XCTAssertEqual(line("rate-calc")["next_due"] as? String, "2026-12-07T12:15:00+09:00")
        XCTAssertEqual(line("usage-aggregate")["state"] as? String, "running")
        XCTAssertEqual(line("status-collect")["state"] as? String, "succeeded")
        XCTAssertEqual(line("status-collect")["last_run"] as? String, "2026-12-07T10:00:30+09:00")
        XCTAssertEqual(line("invoice")["next_due"] as? String, "2027-01-01T06:00:00+09:00")
        XCTAssertEqual(line("invoice-send")["open_failures"] as? Int, 0)

        let text = try runToEnd("nightshift", ["jobs", "--now", "2026-12-07T10:00:00+09:00"], environment: environment())
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.split(separator: "\n").contains { $0.hasPrefix("backup ") && $0.contains("missed") }, text.stdout)
    }

    func testTheStatusPageAsABrowserShowsIt() throws {
        try prepare()
        let site = root + "/site"
        let ran = try watch("2026-12-07T10:00:00+09:00", arguments: ["--html", site])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site), ["index.html"], "written whole, nothing else left")
        let html = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "no JavaScript needed")
        XCTAssertTrue(html.contains("disk &lt;full&gt;") && !html.contains("disk <full>"), "texts are escaped")

        // What Chromium renders: the page's text after layout, and a screenshot.
        let browser = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(root!)/chromium"]
        let dom = try runToEnd("/usr/bin/chromium", browser + ["--dump-dom", "file://\(site)/index.html"], environment: ["HOME": root])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        for expected in ["Nightshift — \(db.name)", "missed:backup", "failing:rate-calc", "running_long:usage-aggregate",
                         "business:7:2026-12-06", "2026-12-08T01:00:00+09:00", "Last 7 days"] {
            XCTAssertTrue(dom.stdout.contains(expected), "\(expected) in the rendered page")
        }
        let shot = root + "/status.png"
        let screenshot = try runToEnd("/usr/bin/chromium", browser + ["--window-size=1400,1400", "--screenshot=\(shot)", "file://\(site)/index.html"],
                                      environment: ["HOME": root])
        XCTAssertEqual(screenshot.status, 0, screenshot.stderr)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertGreaterThan(png.count, 20_000, "a page with text and cells, not a blank one")
        if let keep = ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: shot, toPath: keep)
        }
    }
}
