import Foundation
import NightshiftCore
import Postgres
import StatusCollection
import TestSupport
import XCTest

final class StatusCollectionJobTests: CollectionTestCase {
    let slot = "2026-11-23T21:00:00+09:00"

    func testGoodBusinessesAreStoredWhileEachBadOneFailsAlone() async throws {
        // Two pages on CityHeaven, DTO in UTF-8, a Shift_JIS page and an EUC-JP page.
        let page2 = try site.put("ch/list2.html", html: Pages.cityheaven([.init("3", "ゆい", "お休み")]))
        let heaven = try site.put("ch/list.html", html: Pages.cityheaven([.init("1", "あいり", "待機中"), .init("2", "みく", "接客中")],
                                                                          next: URL(string: page2)!.lastPathComponent))
        let dto = try site.put("dto/list.html", html: Pages.dto([.init("10", "さくら", "即ご案内OK"), .init("11", "れな", "18:00~24:00")]))
        let sjisHTML = Pages.cityheaven([.init("20", "はな", "待機中"), .init("21", "①まい", "受付終了")], charset: "Shift_JIS")
        let sjis = try site.put("sjis.html", Array(sjisHTML.data(using: .shiftJIS)!), headers: ["Content-Type": "text/html"])
        let euc = try site.put("euc.html", Self.eucJPPage, headers: ["Content-Type": "text/html; charset=EUC-JP"])

        let a = try addBusiness("heaven", site: "cityheaven", url: heaven)
        let b = try addBusiness("dto", site: "dto", url: dto)
        let c = try addBusiness("sjis", site: "cityheaven", url: sjis)
        let d = try addBusiness("euc", site: "dto", url: euc)
        let broken: [(String, String, String)] = [
            ("404", "dto", site.baseURL + "/missing.html"),
            ("500", "dto", TestEnvironment.httpBase + "/_status/500"),
            ("429", "dto", TestEnvironment.httpBase + "/_status/429?retry_after=0"),
            ("timeout", "dto", TestEnvironment.httpBase + "/_slow?seconds=4"),
            ("redirect loop", "dto", TestEnvironment.httpBase + "/_redirect_loop/0"),
            ("binary", "dto", TestEnvironment.httpBase + "/_binary"),
            ("too big", "dto", TestEnvironment.httpBase + "/_huge?mb=6"),
            ("malformed", "cityheaven", try site.put("bad.html", html: "<html><body><div class='girllist'><li>broken</div>")),
            ("file url", "dto", "file://" + site.directory + "/dto/list.html"),
            ("unknown site", "nosuchsite", dto),
        ]
        var brokenIDs = [Int]()
        for (name, siteName, url) in broken { brokenIDs.append(try addBusiness(name, site: siteName, url: url)) }

        let status = try await collect(now: slot)
        XCTAssertEqual(status, .partial)

        XCTAssertEqual(try statuses(business: a, slot: slot), ["1": "available", "2": "busy", "3": "off"])
        XCTAssertEqual(try statuses(business: b, slot: slot), ["10": "available", "11": "scheduled"])
        XCTAssertEqual(try statuses(business: c, slot: slot), ["20": "available", "21": "finished"])
        XCTAssertEqual(try statuses(business: d, slot: slot), ["40": "available", "41": "busy"])
        XCTAssertEqual(try db.connection.query("SELECT name FROM \"cast\" WHERE site_cast_id = '21'").first!.string("name"), "①まい")
        XCTAssertEqual(try db.connection.query("SELECT name FROM \"cast\" WHERE site_cast_id = '41'").first!.string("name"), "あいり")

        let collections = try db.connection.query("""
            SELECT business_id, ok, casts_seen, pages, http_status, error FROM status_collection WHERE slot = $1::timestamptz
            """, [slot]).rows
        XCTAssertEqual(collections.count, 14)
        for row in collections {
            let id = try row.int("business_id")
            XCTAssertEqual(try row.bool("ok"), !brokenIDs.contains(id), "business \(id)")
        }
        let byName = Dictionary(uniqueKeysWithValues: try db.connection.query("""
            SELECT b.name, sc.error, sc.http_status FROM status_collection sc JOIN business b ON b.id = sc.business_id WHERE NOT sc.ok
            """).rows.map { (try $0.string("name"), (try $0.string("error"), try $0.optionalInt("http_status"))) })
        XCTAssertEqual(byName["404"]?.1, 404)
        XCTAssertEqual(byName["500"]?.1, 500)
        XCTAssertEqual(byName["429"]?.1, 429)
        XCTAssertTrue(byName["timeout"]!.0.contains("curl 28"), byName["timeout"]!.0)
        XCTAssertTrue(byName["redirect loop"]!.0.contains("redirects"))
        XCTAssertTrue(byName["binary"]!.0.contains("binary"))
        XCTAssertTrue(byName["too big"]!.0.contains("cap"))
        XCTAssertTrue(byName["malformed"]!.0.contains("page structure not recognized"), byName["malformed"]!.0)
        XCTAssertTrue(byName["file url"]!.0.contains("file:// URLs are not allowed"))
        XCTAssertTrue(byName["unknown site"]!.0.contains("unknown site"))

        XCTAssertEqual(try count("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NULL AND job = 'status-collect'"), 10)
        XCTAssertEqual(try count("SELECT attempts AS n FROM batch_failures WHERE item_key = $1", ["business:\(brokenIDs[1])"]), 2,
                       "a 500 is retried")
        XCTAssertEqual(try count("SELECT attempts AS n FROM batch_failures WHERE item_key = $1", ["business:\(brokenIDs[0])"]), 1,
                       "a 404 is not")
        let run = try db.connection.query("SELECT status, items_ok, items_failed FROM batch_runs").first!
        XCTAssertEqual(try run.string("status"), "partial")
        XCTAssertEqual(try run.int("items_ok"), 4)
        XCTAssertEqual(try run.int("items_failed"), 10)
    }

    // "<div id='cast-list'> … あいり 接客中 / まみ 待機中" in EUC-JP.
    static let eucJPPage: [UInt8] = {
        let head = Array("<html><head><meta charset=\"EUC-JP\"></head><body><div id=\"cast-list\">".utf8)
        let castA = Array("<div class=\"cast-box\" id=\"cast_40\"><h3 class=\"cast-name\">".utf8) + [164, 222, 164, 223]  // まみ
            + Array("</h3><span class=\"cast-state\">".utf8) + [194, 212, 181, 161, 195, 230] + Array("</span></div>".utf8)  // 待機中
        let castB = Array("<div class=\"cast-box\" id=\"cast_41\"><h3 class=\"cast-name\">".utf8) + [164, 162, 164, 164, 164, 234]  // あいり
            + Array("</h3><span class=\"cast-state\">".utf8) + [192, 220, 181, 210, 195, 230] + Array("</span></div>".utf8)  // 接客中
        return head + castA + castB + Array("</div></body></html>".utf8)
    }()

    func testRerunInTheSameSlotCollectsOnlyWhatIsMissingAndAddsNoDuplicates() async throws {
        let good = try site.put("good.html", html: Pages.dto([.init("1", "a", "待機中"), .init("2", "b", "接客中")]))
        let a = try addBusiness("good", site: "dto", url: good)
        let later = site.baseURL + "/later.html"
        let b = try addBusiness("later", site: "dto", url: later)

        let first = try await collect(now: slot)
        XCTAssertEqual(first, .partial)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 2)

        // The page of `good` changes, but it was already sampled in this slot: it is not fetched again.
        try site.put("good.html", html: Pages.dto([.init("1", "a", "お休み"), .init("2", "b", "お休み"), .init("3", "c", "待機中")]))
        try site.put("later.html", html: Pages.dto([.init("9", "z", "接客中")]))
        let second = try await collect(now: "2026-11-23T21:29:00+09:00")
        XCTAssertEqual(second, .succeeded)
        XCTAssertEqual(try statuses(business: a, slot: slot), ["1": "available", "2": "busy"])
        XCTAssertEqual(try statuses(business: b, slot: slot), ["9": "busy"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 3)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 2)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NULL"), 0, "the failure is resolved")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM batch_failures WHERE resolved_at IS NOT NULL"), 1)

        // A third run in the slot has nothing to do.
        let third = try await collect(now: slot)
        XCTAssertEqual(third, .succeeded)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status"), 3)

        // The next slot samples again, and the cast's last-seen time moves.
        let fourth = try await collect(now: "2026-11-23T21:30:00+09:00")
        XCTAssertEqual(fourth, .succeeded)
        XCTAssertEqual(try statuses(business: a, slot: "2026-11-23T21:30:00+09:00"), ["1": "off", "2": "off", "3": "available"])
        XCTAssertEqual(try count("""
            SELECT count(*) AS n FROM "cast" WHERE last_seen_at = timestamptz '2026-11-23T21:30:00+09:00'
               AND first_seen_at = timestamptz '2026-11-23T21:00:00+09:00'
            """), 2)
    }

    func testEmptyListingAfterCastsIsAFailureNotASampleOfNobody() async throws {
        let url = try site.put("e.html", html: Pages.cityheaven([.init("1", "a", "待機中")]))
        let id = try addBusiness("e", site: "cityheaven", url: url)
        let first = try await collect(now: slot)
        XCTAssertEqual(first, .succeeded)
        try site.put("e.html", html: Pages.cityheaven([]))
        let second = try await collect(now: "2026-11-23T21:30:00+09:00")
        XCTAssertEqual(second, .failed)
        let row = try db.connection.query("SELECT ok, error FROM status_collection WHERE business_id = $1 ORDER BY slot DESC", [id]).first!
        XCTAssertFalse(try row.bool("ok"))
        XCTAssertTrue(try row.string("error").contains("empty listing"))
    }

    func testUnknownStatusesAreStoredRawAndCounted() async throws {
        let url = try site.put("u.html", html: Pages.dto([.init("1", "a", "謎の状態"), .init("2", "b", "待機中")]))
        try addBusiness("u", site: "dto", url: url)
        let status = try await collect(now: slot)
        XCTAssertEqual(status, .succeeded)
        let row = try db.connection.query("SELECT status, raw_status FROM status WHERE status = 'unknown'").first!
        XCTAssertEqual(try row.string("raw_status"), "謎の状態")
        XCTAssertEqual(try count("SELECT unknown_statuses AS n FROM status_collection"), 1)
        XCTAssertEqual(try count("SELECT (metadata->>'unknown_statuses')::int AS n FROM batch_runs"), 1)
    }

    func testOutsideHoursNothingIsCollectedUnlessForcedOrChosen() async throws {
        let url = try site.put("h.html", html: Pages.dto([.init("1", "a", "待機中")]))
        let a = try addBusiness("h", site: "dto", url: url)
        let b = try addBusiness("h2", site: "dto", url: url + "?2")
        let noon = "2026-11-23T12:00:00+09:00"
        let closed = try await collect(now: noon)
        XCTAssertEqual(closed, .succeeded)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection"), 0)
        let forced = try await collect(now: noon, force: true, ids: [b])
        XCTAssertEqual(forced, .succeeded)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection WHERE business_id = $1", [b]), 1)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM status_collection WHERE business_id = $1", [a]), 0)
    }

    func testInvalidSettingsAreConfigurationErrors() async throws {
        let status = try await collect(now: slot, extra: ["STATUS_COLLECTION_CONCURRENCY": "0"])
        XCTAssertEqual(status, .configuration)
        let bad = try await collect(now: "yesterday")
        XCTAssertEqual(bad, .usage)
    }
}
