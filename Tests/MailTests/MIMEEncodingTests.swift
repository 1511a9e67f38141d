@testable import Mail
import XCTest

final class MIMEEncodingTests: XCTestCase {
    func testPlainASCIIHeaderIsKeptAsIs() {
        XCTAssertEqual(MIMEEncoding.headerText("Invoice INV-202610-000001"), "Invoice INV-202610-000001")
    }

    func testJapaneseHeaderBecomesEncodedWords() {
        // 請求書 is E8 AB 8B E6 B1 82 E6 9B B8 in UTF-8; base64 of those nine bytes is 6KuL5rGC5pu4.
        XCTAssertEqual(MIMEEncoding.headerText("請求書"), "=?UTF-8?B?6KuL5rGC5pu4?=")
    }

    func testLongTextIsSplitBetweenCharactersIntoShortWords() {
        let text = String(repeating: "請求書🧾", count: 10)  // 3-byte and 4-byte characters
        let words = MIMEEncoding.encodedWords(text)
        XCTAssertGreaterThan(words.count, 1)
        var decoded = ""
        for word in words {
            XCTAssertLessThanOrEqual(word.count, 60, word)
            XCTAssertTrue(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            // Each word decodes on its own: no character is cut in two.
            guard let bytes = Data(base64Encoded: payload), let piece = String(data: bytes, encoding: .utf8) else {
                return XCTFail("\(word) is not whole UTF-8")
            }
            decoded += piece
        }
        XCTAssertEqual(decoded, text)
        XCTAssertEqual(MIMEEncoding.headerText(text), words.joined(separator: "\r\n "))
    }

    func testFileNameParameters() {
        XCTAssertEqual(MIMEEncoding.parameter("filename", "INV-202610-000001.pdf"), "filename=\"INV-202610-000001.pdf\"")
        XCTAssertEqual(MIMEEncoding.parameter("filename", "請求書.pdf"), "filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf")
        XCTAssertEqual(MIMEEncoding.parameter("filename", "a b\".pdf"), "filename*=UTF-8''a%20b%22.pdf")
    }

    func testDisplayNames() {
        XCTAssertEqual(MailAddress("billing@example.com", displayName: "Nightshift Billing")!.header,
                       "Nightshift Billing <billing@example.com>")
        XCTAssertEqual(MailAddress("billing@example.com", displayName: "Nightshift, Inc.")!.header,
                       "\"Nightshift, Inc.\" <billing@example.com>")
        XCTAssertEqual(MailAddress("billing@example.com", displayName: "請求書")!.header,
                       "=?UTF-8?B?6KuL5rGC5pu4?= <billing@example.com>")
    }

    func testAddressesThatCouldBreakACommandOrHeaderAreRefused() {
        for bad in ["a b@example.com", "billing@localhost", "<x@example.com>", "x@example.com\r\nBcc: e@example.com",
                    "@example.com", "x@@example.com", "x@.example.com", "請求@example.com", "x@example.com>"] {
            XCTAssertNil(MailAddress(bad), bad)
        }
        XCTAssertNil(MailAddress("x@example.com", displayName: "A\r\nBcc: e@example.com"))
        XCTAssertEqual(MailAddress("first.last+tag@mail.example.co.jp")?.domain, "mail.example.co.jp")
    }

    func testDateHeaderUsesTheGivenZone() {
        let date = Date(timeIntervalSince1970: 1_793_480_400)  // 2026-10-31T21:00:00Z
        XCTAssertEqual(MailMessage.dateHeader(date, timeZone: TimeZone(identifier: "Asia/Tokyo")!), "Sun, 01 Nov 2026 06:00:00 +0900")
        XCTAssertEqual(MailMessage.dateHeader(date, timeZone: TimeZone(identifier: "UTC")!), "Sat, 31 Oct 2026 21:00:00 +0000")
    }

    func testSameMessageRendersToSameBytes() {
        let message = MailMessage(from: MailAddress("a@example.com")!, to: [MailAddress("b@example.com")!], subject: "件名",
                                  body: "本文", attachments: [.init(filename: "x.pdf", contentType: "application/pdf", bytes: [1, 2, 3])],
                                  messageID: "m1@example.com", date: Date(timeIntervalSince1970: 0))
        let utc = TimeZone(identifier: "UTC")!
        XCTAssertEqual(message.rendered(timeZone: utc), message.rendered(timeZone: utc))
        let text = String(decoding: message.rendered(timeZone: utc), as: UTF8.self)
        XCTAssertTrue(text.unicodeScalars.allSatisfy(\.isASCII), "a rendered message is 7-bit")
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
    }
}
