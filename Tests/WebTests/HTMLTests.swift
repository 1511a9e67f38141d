import Foundation
import Web
import XCTest

final class HTMLTests: XCTestCase {
    func testXPathNodesAndStrings() throws {
        let doc = try HTMLDocument(bytes: Array("<html><body><ul><li id='a'> A  one </li><li id='b'>B</li></ul></body></html>".utf8),
                                   encoding: "UTF-8")
        let items = try doc.select("//li")
        XCTAssertEqual(items.map(\.text), ["A one", "B"])
        XCTAssertEqual(try items[1].string("@id"), "b")
        XCTAssertThrowsError(try doc.select("//li[")) 
        XCTAssertFalse(validateXPath("//li["))
    }

    func testMalformedHTMLIsRecovered() throws {
        let doc = try HTMLDocument(bytes: Array("<html><body><div><p>open <b>bold</div><li>x".utf8), encoding: "UTF-8")
        XCTAssertEqual(try doc.string("//b"), "bold")
    }

    func testCharsetFromHeaderWinsOverMeta() {
        XCTAssertEqual(Charset.detect(contentType: "text/html; charset=Shift_JIS", body: Array("<meta charset='utf-8'>".utf8)), "CP932")
        XCTAssertEqual(Charset.detect(contentType: "text/html", body: Array("<head><META http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-JP\">".utf8)), "EUC-JP")
        XCTAssertEqual(Charset.detect(contentType: nil, body: Array("<meta charset=\"x-sjis\">".utf8)), "CP932")
        XCTAssertEqual(Charset.detect(contentType: nil, body: Array("<html>".utf8)), "UTF-8")
    }

    // Bytes as Python's cp932 / euc_jp codecs encode them (Foundation on Linux has no EUC-JP encoder).
    static let shiftJIS: [UInt8] = [60, 112, 62, 145, 210, 139, 64, 146, 134, 32, 135, 64, 130, 160, 130, 162, 130, 232, 60, 47, 112, 62]
    static let eucJP: [UInt8] = [60, 112, 62, 194, 212, 181, 161, 195, 230, 32, 164, 162, 164, 164, 164, 234, 60, 47, 112, 62]

    func testShiftJISAndEUCJPDecode() throws {
        let sjis = try HTMLDocument(bytes: Self.shiftJIS, encoding: Charset.detect(contentType: "text/html; charset=Shift_JIS", body: []))
        XCTAssertEqual(try sjis.string("//p"), "待機中 ①あいり")
        let euc = try HTMLDocument(bytes: Self.eucJP, encoding: Charset.detect(contentType: "text/html; charset=EUC-JP", body: []))
        XCTAssertEqual(try euc.string("//p"), "待機中 あいり")
    }

    func testBinaryDetection() {
        XCTAssertTrue(Charset.looksBinary([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))
        XCTAssertFalse(Charset.looksBinary(Array("<html>日本</html>".utf8)))
    }

    func testAListingBehindHundredsOfUnclosedTagsIsFound() throws {
        // Old sites leave a <font> open per line; libxml2 stops nesting at 256 levels by default.
        let page = "<html><body>" + String(repeating: "<font size=2>", count: 300) +
            "<ul class='girllist'><li data-girl-id='1'><span> 待機中 </span></li></ul></body></html>"
        let doc = try HTMLDocument(bytes: Array(page.utf8), encoding: "UTF-8")
        XCTAssertEqual(try doc.select("//ul[@class='girllist']/li").count, 1)
        XCTAssertEqual(try doc.string("//ul/li/span"), "待機中")
    }

    func testAUTF16MetaOnAnEightBitPageIsReadAsUTF8() throws {
        // A page cannot declare UTF-16 in its own 8-bit bytes; browsers then read it as UTF-8.
        let body = Array("<html><head><meta charset=\"UTF-16\"></head><body><p>待機中</p></body></html>".utf8)
        XCTAssertEqual(Charset.detect(contentType: nil, body: body), "UTF-8")
        XCTAssertEqual(Charset.detect(contentType: nil, body: Array("<meta http-equiv='Content-Type' content='text/html; charset=utf-16le'>".utf8)), "UTF-8")
        XCTAssertEqual(try HTMLDocument(bytes: body, encoding: Charset.detect(contentType: nil, body: body)).string("//p"), "待機中")
    }

    func testWhitespaceIsCollapsedAsUnicodeDefinesIt() throws {
        let doc = try HTMLDocument(bytes: Array("<p>\u{3000} 待機\u{00A0}\n\t中\u{2003}</p><b>a\u{200B}b</b>".utf8), encoding: "UTF-8")
        XCTAssertEqual(try doc.string("//p"), "待機 中")
        XCTAssertEqual(try doc.string("//b"), "a\u{200B}b", "a zero-width space is not white space")
    }
}
