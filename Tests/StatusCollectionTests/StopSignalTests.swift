import Foundation
import TestSupport
import XCTest

/// SIGTERM, then SIGINT, while a business's samples are being stored: each run stores that
/// business, takes no other, records itself `interrupted` and exits 143 / 130; the next run
/// collects the rest of the slot, and every business ends with one set of samples.
final class StopSignalTests: CollectionTestCase {
    func testEachSignalStopsTheRunBetweenBusinessesAndTheNextRunCollectsTheRest() throws {
        for index in 1...4 {
            let url = try site.put("s\(index).html", html: Pages.dto([.init("\(index)1", "一", "待機中"), .init("\(index)2", "二", "接客中")]))
            try addBusiness("stop \(index)", site: "dto", url: url)
        }
        let arguments = ["--now", "2026-11-23T21:00:00+09:00"]
        let term = try runStopped("status-collect", arguments, environment: environment, signal: SIGTERM, holding: "status", in: db)
        XCTAssertEqual(term.status, 143, term.stderr)
        XCTAssertTrue(term.stderr.contains("interrupted by SIGTERM after 1 item(s) done"), term.stderr)
        let int = try runStopped("status-collect", arguments, environment: environment, signal: SIGINT, holding: "status", in: db)
        XCTAssertEqual(int.status, 130, int.stderr)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 2)

        let rest = try runToEnd("status-collect", arguments, environment: environment)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let runs = try db.connection.query("SELECT status, items_ok, items_failed, finished_at IS NOT NULL AS done FROM batch_runs ORDER BY id").rows
        XCTAssertEqual(try runs.map { try $0.string("status") }, ["interrupted", "interrupted", "succeeded"])
        XCTAssertEqual(try runs.map { try $0.int("items_ok") }, [1, 1, 2])
        XCTAssertEqual(try runs.map { try $0.bool("done") }, [true, true, true])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 4)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 8)
        XCTAssertEqual(try count("SELECT count(DISTINCT (cast_id, slot)) AS n FROM status"), 8)
        XCTAssertEqual(try db.openFailures(job: "status-collect"), [:])
    }

    /// Started twice at once (a CronJob started twice, two hosts): the second finds the lock held
    /// and is `skipped`; the slot is collected once.
    func testTwoStartsAtOnceCollectTheSlotOnce() throws {
        for index in 1...2 {
            let url = try site.put("t\(index).html", html: Pages.dto([.init("\(index)1", "一", "待機中"), .init("\(index)2", "二", "接客中")]))
            try addBusiness("twice \(index)", site: "dto", url: url)
        }
        let (first, second) = try runTwiceAtOnce("status-collect", ["--now", "2026-11-23T21:00:00+09:00"], environment: environment,
                                                 holding: "status", in: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try db.runStatuses(job: "status-collect"), ["succeeded", "skipped"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 2)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 4)
    }
}
