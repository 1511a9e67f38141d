import Foundation
import StatusCollection
import TestSupport
import Web
import XCTest

final class SiteParsingTests: XCTestCase {
    let sites = try! SiteRegistry(directory: nil)

    func parse(_ site: String, _ html: String, contentType: String? = "text/html") throws -> ParsedPage {
        let response = HTTPResponse(url: "http://x/list/", effectiveURL: "http://x/list/", status: 200,
                                    contentType: contentType, body: Array(html.utf8), durationSeconds: 0)
        return try ListingParser(site: sites[site]!).parse(response)
    }

    func testEveryCityHeavenStatusMapping() throws {
        let expectations: [(String, CastStatus)] = [
            ("待機中", .available), ("すぐご案内", .available), ("案内可能", .available), ("即ヒメ", .available),
            ("接客中", .busy), ("ご案内中", .busy),
            ("受付終了", .finished), ("本日終了", .finished),
            ("お休み", .off), ("休み", .off),
            ("出勤予定", .scheduled), ("次回 12/1 18:00", .scheduled), ("18:00~24:00", .scheduled), ("9:30〜17:00", .scheduled),
            ("要問合せ", .unknown),
        ]
        let casts = expectations.enumerated().map { Pages.Cast("\(100 + $0.offset)", "c\($0.offset)", $0.element.0) }
        let page = try parse("cityheaven", Pages.cityheaven(casts))
        XCTAssertEqual(page.casts.map(\.status), expectations.map(\.1))
        XCTAssertEqual(page.casts.map(\.rawStatus), expectations.map(\.0))
        XCTAssertEqual(page.casts.first?.siteCastID, "100")
        XCTAssertEqual(page.casts.first?.name, "c0")
    }

    func testEveryDTOStatusMapping() throws {
        let expectations: [(String, CastStatus)] = [
            ("即ご案内OK", .available), ("待機中", .available), ("接客中", .busy),
            ("本日終了", .finished), ("受付終了", .finished), ("退勤しました", .finished),
            ("お休み", .off), ("休日", .off), ("出勤予定", .scheduled), ("20:00~翌3:00", .scheduled),
            ("???", .unknown),
        ]
        let casts = expectations.enumerated().map { Pages.Cast("\(200 + $0.offset)", "d\($0.offset)", $0.element.0) }
        let page = try parse("dto", Pages.dto(casts))
        XCTAssertEqual(page.casts.map(\.status), expectations.map(\.1))
        XCTAssertEqual(page.casts.map(\.siteCastID), casts.map(\.id))
    }

    func testNextPageIsResolvedAgainstThePageURL() throws {
        let page = try parse("cityheaven", Pages.cityheaven([Pages.Cast("1", "a", "待機中")], next: "?page=2"))
        XCTAssertEqual(page.nextPageURL, "http://x/list/?page=2")
    }

    func testPageWithoutTheListingIsAFailureNotAnEmptySample() {
        XCTAssertThrowsError(try parse("cityheaven", "<html><body><h1>メンテナンス中</h1></body></html>")) {
            XCTAssertTrue("\($0)".contains("page structure not recognized"), "\($0)")
        }
        XCTAssertThrowsError(try parse("dto", "<html><body><div id='cast-lis'></div>")) 
    }

    func testBinaryAndNonHTMLBodiesAreRejected() {
        XCTAssertThrowsError(try parse("dto", String(decoding: [0x3c, 0x00, 0x01, 0x02], as: UTF8.self))) {
            XCTAssertTrue("\($0)".contains("binary"), "\($0)")
        }
        XCTAssertThrowsError(try parse("dto", "{}", contentType: "application/json")) {
            XCTAssertTrue("\($0)".contains("Content-Type"), "\($0)")
        }
    }

    func testSiteDefinitionFromAFile() throws {
        let dir = try temporaryDirectory()
        try """
        {
          "name": "yoru-navi",
          "listing_url_pattern": "^https?://",
          "listing_xpath": "//table[@id='staff']",
          "cast_xpath": "//table[@id='staff']/tr[td]",
          "cast_id": { "xpath": "td[1]/a/@href", "pattern": "staff=([0-9]+)" },
          "cast_name": { "xpath": "td[1]" },
          "cast_status": { "xpath": "td[2]" },
          "statuses": [
            { "match": "待機", "status": "available" },
            { "match": "接客", "status": "busy" },
            { "regex": "^[0-9]+時から", "status": "scheduled" },
            { "match": "終了", "status": "finished" },
            { "match": "休", "status": "off" }
          ]
        }
        """.write(toFile: dir + "/yoru-navi.json", atomically: true, encoding: .utf8)
        let registry = try SiteRegistry(directory: dir)
        XCTAssertEqual(registry.sites.keys.sorted(), ["cityheaven", "dto", "yoru-navi"])
        let rows = [("1", "待機", CastStatus.available), ("2", "接客", .busy), ("3", "21時から", .scheduled),
                    ("4", "終了", .finished), ("5", "休", .off), ("6", "不明", .unknown)]
        let html = "<html><body><table id='staff'><tr><th>名前</th></tr>" + rows.map {
            "<tr><td><a href='/s?staff=\($0.0)'>n\($0.0)</a></td><td>\($0.1)</td></tr>"
        }.joined() + "</table></body></html>"
        let page = try ListingParser(site: registry["yoru-navi"]!).parse(bytes: Array(html.utf8), encoding: "UTF-8", baseURL: "http://x/")
        XCTAssertEqual(page.casts.map(\.siteCastID), ["1", "2", "3", "4", "5", "6"])
        XCTAssertEqual(page.casts.map(\.status), rows.map(\.2))
        XCTAssertEqual(page.casts[2].name, "n3")
    }

    func testInvalidSiteDefinitionsNameTheFileAndField() throws {
        let cases: [(String, String)] = [
            (#"{"name": "x", "listing_xpath": "//a[", "cast_xpath": "//a", "cast_id": {"xpath": "@id"}, "cast_name": {"xpath": "."}, "cast_status": {"xpath": "."}, "statuses": [{"match": "a", "status": "busy"}]}"#, "listing_xpath"),
            (#"{"name": "x", "listing_xpath": "//a", "cast_xpath": "//a", "cast_id": {"xpath": "@id", "pattern": "("}, "cast_name": {"xpath": "."}, "cast_status": {"xpath": "."}, "statuses": [{"match": "a", "status": "busy"}]}"#, "cast_id.pattern"),
            (#"{"name": "x", "listing_xpath": "//a", "cast_xpath": "//a", "cast_id": {"xpath": "@id"}, "cast_name": {"xpath": "."}, "cast_status": {"xpath": "."}, "statuses": [{"match": "a", "status": "sleeping"}]}"#, "statuses"),
            (#"{"name": "x", "listing_xpath": "//a", "cast_xpath": "//a", "cast_name": {"xpath": "."}, "cast_status": {"xpath": "."}, "statuses": []}"#, "cast_id"),
        ]
        for (json, field) in cases {
            let dir = try temporaryDirectory()
            try json.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try SiteRegistry(directory: dir)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("bad.json") && text.contains(field), text)
            }
        }
    }
}
