import Documents
import Foundation
import NightshiftCore
import TestSupport
import XCTest

final class DocumentsTests: XCTestCase {
    var root: String!

    override func setUpWithError() throws { root = try temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    /// Two pages: a title, a recipient and an amount, then a second page.
    func drawSample(_ path: String) throws {
        try EmbeddedFont.withFonts(family: "IPAexGothic") { font in
            let canvas = try PDFCanvas(path: path, font: font, title: "試験", creationDate: "2026-11-01T06:00:00")
            canvas.text("請求書", x: 40, y: 40, width: 515, size: 24, align: .center)
            canvas.text("株式会社テスト 御中", x: 40, y: 100, width: 300, size: 12)
            canvas.text(YenFormat.string(1_234_567), x: 40, y: 140, width: 515, size: 12, align: .right)
            canvas.text("長い行は折り返される。" + String(repeating: "あいうえお", count: 12), x: 40, y: 170, width: 200, size: 10)
            // Armenian is not in IPAex Gothic: pango shapes it with a fallback font and draws that run itself.
            canvas.text("Ծնունդ 商事", x: 40, y: 260, width: 300, size: 12)
            canvas.newPage()
            canvas.text("二頁目", x: 40, y: 40, width: 300, size: 12)
            try canvas.finish()
        }
    }

    func testJapaneseTextRoundTripsThroughPopplerWithTheFontEmbedded() throws {
        let path = root + "/doc.pdf"
        try drawSample(path)

        let read = try PDFText.read(path)
        XCTAssertEqual(read.pageCount, 2)
        XCTAssertTrue(read.pages[0].contains("請求書"), read.pages[0])
        XCTAssertTrue(read.pages[0].contains("株式会社テスト 御中"), read.pages[0])
        XCTAssertTrue(read.pages[0].contains("¥1,234,567"), read.pages[0])
        XCTAssertTrue(read.pages[1].contains("二頁目"))
        XCTAssertTrue(read.pages[0].replacingOccurrences(of: "\n", with: "").contains("長い行は折り返される。" + String(repeating: "あいうえお", count: 12)),
                      read.pages[0])
        XCTAssertTrue(read.pages[0].contains("Ծնունդ 商事"), read.pages[0])

        // The CJK font is embedded (a subset), so the document reads the same on any machine.
        let fonts = String(decoding: try ChildProcess.run("pdffonts", [path], stdout: .capture(limit: 1 << 16)).stdout, as: UTF8.self)
        XCTAssertTrue(fonts.contains("IPAexGothic"), fonts)
        let row = try XCTUnwrap(fonts.split(separator: "\n").first { $0.contains("IPAexGothic") })
        XCTAssertTrue(row.contains(" yes "), "embedded: \(row)")

        // Same content and date, same bytes.
        let again = root + "/again.pdf"
        try drawSample(again)
        XCTAssertEqual(FileManager.default.contents(atPath: path), FileManager.default.contents(atPath: again))
    }

    func testNonPDFsAreRefused() throws {
        let path = root + "/broken.pdf"
        try "%PDF-1.5\nnot really".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PDFText.read(path)) { error in
            XCTAssertTrue("\(error)".contains("is not a readable PDF"), "\(error)")
        }
        XCTAssertThrowsError(try PDFText.read(root + "/missing.pdf"))
        XCTAssertThrowsError(try EmbeddedFont.withFonts(family: "IPAexGothic") { font in
            try PDFCanvas(path: root + "/no/such/dir/x.pdf", font: font, title: "", creationDate: "2026-11-01T00:00:00")
        })
        XCTAssertThrowsError(try EmbeddedFont.withFonts(family: "No Such Family") { _ in }) { error in
            XCTAssertTrue("\(error)".contains("No Such Family"), "\(error)")
        }
    }

    func testYenFormatting() {
        XCTAssertEqual(YenFormat.string(0), "¥0")
        XCTAssertEqual(YenFormat.string(999), "¥999")
        XCTAssertEqual(YenFormat.string(1_000), "¥1,000")
        XCTAssertEqual(YenFormat.string(63_800), "¥63,800")
        XCTAssertEqual(YenFormat.string(1_234_567_890), "¥1,234,567,890")
        XCTAssertEqual(YenFormat.string(-500), "-¥500")
        XCTAssertEqual(YenFormat.grouped(12_345), "12,345")
        XCTAssertEqual(YenFormat.grouped(12_345.25, decimals: 1), "12,345.3")
        XCTAssertEqual(YenFormat.grouped(-2.5, decimals: 0), "-3")
        XCTAssertEqual(YenFormat.grouped(0.05, decimals: 2), "0.05")
        XCTAssertEqual(YenFormat.grouped(-1_000.5, decimals: 1), "-1,000.5")
    }
}
