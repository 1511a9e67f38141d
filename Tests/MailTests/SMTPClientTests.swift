import Foundation
import Mail
import NightshiftCore
import TestSupport
import XCTest

/// Against a real SMTP server on 127.0.0.1 whose own MIME parser reads what arrived.
final class SMTPClientTests: XCTestCase {
    let from = MailAddress("billing@nightshift.example", displayName: "ナイトシフト 請求担当")!
    let to = MailAddress("keiri@customer.example")!

    func message(subject: String = "【請求書】2026年10月分 ご請求のお知らせ(株式会社サンプル商事 御中)",
                 body: String = "株式会社サンプル商事 御中\n\n2026年10月分の請求書をお送りします。\n.\nこの行の前はドット一つの行です。\n",
                 attachment: [UInt8] = Array("%PDF-1.5\r\n.\r\n".utf8) + (0..<4096).map { UInt8($0 % 256) }) -> MailMessage {
        MailMessage(from: from, to: [to], subject: subject, body: body,
                    attachments: [.init(filename: "請求書_INV-202610-000001-000001.pdf", contentType: "application/pdf", bytes: attachment)],
                    messageID: "invoice.INV-202610-000001-000001@nightshift.example", date: Date(timeIntervalSince1970: 1_793_480_400))
    }

    func testMessageArrivesIntactWithJapaneseSubjectBodyAndFileName() throws {
        let sink = try SMTPSink()
        let mail = message()
        try SMTPClient(server: SMTPServer(url: sink.url, startTLS: .off))
            .send(mail.rendered(timeZone: TimeZone(identifier: "Asia/Tokyo")!), from: from, to: [to])
        let received = try sink.messages()
        XCTAssertEqual(received.count, 1)
        let got = try XCTUnwrap(received.first)
        XCTAssertEqual(got.mail_from, "billing@nightshift.example")
        XCTAssertEqual(got.rcpt_tos, ["keiri@customer.example"])
        XCTAssertEqual(got.subject, mail.subject)
        XCTAssertEqual(got.from, "ナイトシフト 請求担当 <billing@nightshift.example>")
        XCTAssertEqual(got.to, "keiri@customer.example")
        XCTAssertEqual(got.message_id, "<invoice.INV-202610-000001-000001@nightshift.example>")
        XCTAssertEqual(got.date, "Sun, 01 Nov 2026 06:00:00 +0900")
        XCTAssertEqual(got.text, mail.body.replacingOccurrences(of: "\n", with: "\r\n"), "the dot line survives dot-stuffing")
        XCTAssertEqual(got.attachments.count, 1)
        XCTAssertEqual(got.attachments[0].filename, "請求書_INV-202610-000001-000001.pdf")
        XCTAssertEqual(got.attachments[0].content_type, "application/pdf")
        XCTAssertEqual(got.attachments[0].size, mail.attachments[0].bytes.count)
        XCTAssertEqual(got.attachments[0].sha256, sha256Hex(mail.attachments[0].bytes))
        for line in got.raw_headers.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.count, 78, line)
        }
    }

    func testSeveralMessagesOverOneClient() throws {
        let sink = try SMTPSink()
        let client = SMTPClient(server: SMTPServer(url: sink.url, startTLS: .off))
        for n in 1...3 {
            var mail = message(subject: "件名 \(n)")
            mail.messageID = "m\(n)@nightshift.example"
            try client.send(mail.rendered(timeZone: .current), from: from, to: [to])
        }
        XCTAssertEqual(try sink.messages().map(\.subject), ["件名 1", "件名 2", "件名 3"])
    }

    func testLoginFromSettingsAndARefusedLoginIsPermanent() throws {
        let sink = try SMTPSink(auth: "nightshift:s3cret-pass")
        let rendered = message().rendered(timeZone: .current)
        try SMTPClient(server: SMTPServer(url: sink.url, startTLS: .off, username: "nightshift", password: "s3cret-pass"))
            .send(rendered, from: from, to: [to])
        XCTAssertEqual(try sink.messages().map(\.login), ["nightshift"])

        let refused = SMTPClient(server: SMTPServer(url: sink.url, startTLS: .off, username: "nightshift", password: "wrong"))
        XCTAssertThrowsError(try refused.send(rendered, from: from, to: [to])) { error in
            let smtp = error as! SMTPError
            XCTAssertFalse(smtp.isTransient, "\(smtp)")
            XCTAssertFalse(smtp.description.contains("wrong"))
        }
        XCTAssertEqual(try sink.messages().count, 1)
    }

    func testTemporaryRefusalIsTransientAndRejectedRecipientIsNot() throws {
        let sink = try SMTPSink(defer: 1, reject: ["gone@customer.example"])
        let client = SMTPClient(server: SMTPServer(url: sink.url, startTLS: .off))
        let rendered = message().rendered(timeZone: .current)
        XCTAssertThrowsError(try client.send(rendered, from: from, to: [to])) { error in
            let smtp = error as! SMTPError
            XCTAssertEqual(smtp.replyCode, 451)
            XCTAssertTrue(smtp.isTransient)
            XCTAssertFalse(smtp.isUnreachable)
        }
        try client.send(rendered, from: from, to: [to])
        XCTAssertThrowsError(try client.send(rendered, from: from, to: [MailAddress("gone@customer.example")!])) { error in
            let smtp = error as! SMTPError
            XCTAssertEqual(smtp.replyCode, 550)
            XCTAssertFalse(smtp.isTransient)
        }
        XCTAssertEqual(try sink.messages().count, 1)
    }

    func testNobodyListeningIsTransientAndUnreachable() throws {
        let client = SMTPClient(server: SMTPServer(url: "smtp://127.0.0.1:\(SMTPSink.freePort())", startTLS: .off))
        XCTAssertThrowsError(try client.send(message().rendered(timeZone: .current), from: from, to: [to])) { error in
            let smtp = error as! SMTPError
            XCTAssertTrue(smtp.isTransient)
            XCTAssertTrue(smtp.isUnreachable)
        }
    }

    func testRequiredStartTLSRefusesAServerWithoutIt() throws {
        let sink = try SMTPSink()
        let client = SMTPClient(server: SMTPServer(url: sink.url, startTLS: .required, username: "u", password: "p"))
        XCTAssertThrowsError(try client.send(message().rendered(timeZone: .current), from: from, to: [to])) { error in
            XCTAssertFalse((error as! SMTPError).isTransient, "\(error)")
        }
        XCTAssertEqual(try sink.messages().count, 0, "nothing goes out in the clear")
    }

    func testURLValidation() {
        XCTAssertTrue(SMTPServer.isValidURL("smtp://mail.example.com:587"))
        XCTAssertTrue(SMTPServer.isValidURL("smtps://mail.example.com"))
        XCTAssertFalse(SMTPServer.isValidURL("http://mail.example.com"))
        XCTAssertFalse(SMTPServer.isValidURL("smtp://user:pw@mail.example.com"))
        XCTAssertFalse(SMTPServer.isValidURL("mail.example.com"))
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    let path = try! temporaryDirectory() + "/bytes"
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return try! FileDigest.sha256(ofFile: path)
}
