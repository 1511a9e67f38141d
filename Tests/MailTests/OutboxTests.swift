import Foundation
import Mail
import NightshiftCore
import Postgres
import TestSupport
import XCTest

/// The outbox with any kind of message (not only invoices), against a real PostgreSQL and a real
/// SMTP server.
final class OutboxTests: DatabaseTestCase {
    let captured = CapturedLogs()

    func outbox(_ url: String, attempts: Int = 1) -> Outbox {
        let settings = MailSettings(server: SMTPServer(url: url, startTLS: .off), from: MailAddress("ops@nightshift.example")!,
                                    retry: RetryPolicy(backoff: .fixed, maxAttempts: attempts, baseDelaySeconds: 0.01,
                                                       maxDelaySeconds: 0.01, jitter: 0))
        return Outbox(db: db.connection, settings: settings, logger: captured.logger())
    }

    func message(_ letter: Outbox.Letter, to: MailAddress) -> [UInt8] {
        MailMessage(from: MailAddress("ops@nightshift.example")!, to: [to], subject: "about \(letter.about)", body: "本文\n",
                    attachments: [], messageID: letter.messageID, date: Date(timeIntervalSince1970: 1_793_480_400))
            .rendered(timeZone: TimeZone(identifier: "Asia/Tokyo")!)
    }

    func rows() throws -> [String] {
        try db.connection.query("SELECT about, status, attempts, coalesce(last_error, '-') AS e FROM mail_outbox ORDER BY about").rows.map {
            "\(try $0.string("about")) \(try $0.string("status")) \(try $0.int("attempts")) \(try $0.string("e"))"
        }
    }

    func testALetterIsSentOnceUnderTheIDItWasFirstPostedWith() throws {
        let sink = try SMTPSink()
        let box = outbox(sink.url)
        let report = Outbox.Letter(about: "report:2026-10", recipient: "owner@customer.example", messageID: "report.2026-10@nightshift.example")
        let alert = Outbox.Letter(about: "alert:7", recipient: "oncall@nightshift.example", messageID: "alert.7@nightshift.example")
        var posted = try box.post([report, alert])
        XCTAssertEqual(posted, ["report:2026-10": report, "alert:7": alert])
        try box.deliver(posted["alert:7"]!) { message(posted["alert:7"]!, to: $0) }
        // Posted again by a later run with another ID: the pending one keeps its first ID, the sent
        // one is not handed out any more.
        var again = report
        again.messageID = "report.2026-10.second@nightshift.example"
        posted = try box.post([again, alert])
        XCTAssertEqual(posted, ["report:2026-10": report])
        try box.deliver(posted["report:2026-10"]!) { message(posted["report:2026-10"]!, to: $0) }

        XCTAssertEqual(try sink.messages().map(\.message_id).sorted(),
                       ["<alert.7@nightshift.example>", "<report.2026-10@nightshift.example>"])
        XCTAssertEqual(try rows(), ["alert:7 sent 1 -", "report:2026-10 sent 1 -"])
        XCTAssertEqual(try box.post([report, alert]), [:])
        XCTAssertEqual(captured.lines.map { "\($0.level) \($0.message) \($0.metadata["about"] ?? "")" },
                       ["info mail sent alert:7", "info mail sent report:2026-10"])
    }

    func testAFailureIsRecordedOnTheRowAndTheServerDownStopsTheRestBeingTried() throws {
        let box = outbox("smtp://127.0.0.1:\(SMTPSink.freePort())", attempts: 2)
        let letters = (1...3).map { Outbox.Letter(about: "alert:\($0)", recipient: "oncall@nightshift.example", messageID: "alert.\($0)@x.example") }
        let bad = Outbox.Letter(about: "alert:9", recipient: "not an address", messageID: "alert.9@x.example")
        let posted = try box.post(letters + [bad])
        XCTAssertThrowsError(try box.deliver(posted["alert:9"]!) { _ in XCTFail("not composed"); return [] }) {
            XCTAssertEqual(($0 as? Outbox.NotSent)?.attempts, 0)
        }
        var attempts: [Int] = []
        for letter in letters {
            XCTAssertThrowsError(try box.deliver(posted[letter.about]!) { message(letter, to: $0) }) {
                attempts.append(($0 as? Outbox.NotSent)?.attempts ?? -1)
            }
        }
        XCTAssertEqual(attempts, [2, 0, 0], "the first is tried twice; with the server unreachable the rest are not tried")
        XCTAssertEqual(captured.lines.map { "\($0.level) \($0.message) \($0.metadata["about"] ?? "") \($0.error != nil)" },
                       ["warning mail not accepted, trying again alert:1 true"])
        let recorded = try rows()
        XCTAssertTrue(recorded[0].hasPrefix("alert:1 pending 2 "), "\(recorded)")
        XCTAssertTrue(recorded[1].hasPrefix("alert:2 pending 0 not sent: smtp://127.0.0.1:"), "\(recorded)")
        XCTAssertEqual(recorded[3], "alert:9 pending 0 the address \"not an address\" is not a valid email address")
    }
}

final class RenderedAttachmentTests: XCTestCase {
    func testOnlyTheFileThatWasRecordedIsAttached() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a.pdf"
        try Data("%PDF-1.5 rendered".utf8).write(to: URL(fileURLWithPath: path))
        let sha = try FileDigest.sha256(ofFile: path)
        let attachment = try MailMessage.Attachment.rendered(path, sha256: sha, filename: "a.pdf", contentType: "application/pdf",
                                                             remedy: "render it again")
        XCTAssertEqual(attachment.bytes, Array("%PDF-1.5 rendered".utf8))

        try Data("%PDF-1.5 changed".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try MailMessage.Attachment.rendered(path, sha256: sha, filename: "a.pdf", contentType: "application/pdf",
                                                                 remedy: "render it again")) {
            XCTAssertEqual("\($0)", "\(path) is not the PDF that was rendered (SHA-256 differs); render it again")
        }
        XCTAssertThrowsError(try MailMessage.Attachment.rendered(directory + "/gone.csv", sha256: nil, filename: "b.csv",
                                                                 contentType: "text/csv", remedy: "x")) {
            XCTAssertTrue("\($0)".hasPrefix("cannot read \(directory)/gone.csv: "), "\($0)")
        }
    }
}
