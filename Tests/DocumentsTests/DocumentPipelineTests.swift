import Documents
import Foundation
import TestSupport
import XCTest

/// The pipeline with a kind of document of its own (a one-line notice), as a report or any later
/// document would use it.
final class DocumentPipelineTests: XCTestCase {
    struct Notice: Sendable { let id: Int; let text: String }

    var root: String!

    override func setUpWithError() throws { root = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    /// Notice 3 draws a text its check refuses; the others say what they must.
    func pipeline(_ directory: String) -> DocumentPipeline<Notice> {
        DocumentPipeline(directory: directory, fontFamily: "IPAexGothic", fileName: { "notice-\($0.id).pdf" }, draw: { notice, font, path in
            let canvas = try PDFCanvas(path: path, font: font, title: "お知らせ", creationDate: "2026-11-01T06:00:00")
            canvas.text(notice.id == 3 ? "別の文" : notice.text, x: 50, y: 50, width: 400, size: 12)
            try canvas.finish()
        }, check: { notice, read in
            guard read.text.contains(notice.text) else { throw DocumentError("the PDF lacks \(notice.text)") }
        })
    }

    func testBatchesAreDrawnCheckedAndOnlyGoodFilesTakeTheirFinalNames() throws {
        let directory = root + "/reports/2026-10"
        let pipeline = pipeline(directory)
        try pipeline.open()  // parents made
        try Data("half".utf8).write(to: URL(fileURLWithPath: directory + "/notice-9.pdf.partial"))
        try pipeline.open()  // a killed run's leftover removed
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])

        let notices = (1...5).map { Notice(id: $0, text: "お知らせ第\($0)号") }
        var fetchedAfter: [Int?] = [], committed: [[String]] = []
        try pipeline.run(fetch: { last in
            fetchedAfter.append(last?.id)
            let start = last?.id ?? 0
            return Array(notices.filter { $0.id > start }.prefix(2))
        }, commit: { batch in
            // Failed ones are gone already; good ones wait under their partial names.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            XCTAssertFalse(names.contains("notice-3.pdf.partial"), "\(names)")
            committed.append(batch.map { outcome in
                switch outcome.result {
                case .success(let drawn): return "\(outcome.item.id) ok \(drawn.sha256.count)"
                case .failure(let error): return "\(outcome.item.id) \(error)"
                }
            })
            try pipeline.makeDurable(batch.compactMap { try? $0.result.get() })
            try pipeline.makeDurable(batch.compactMap { try? $0.result.get() })  // a repeated commit changes nothing
        })
        XCTAssertEqual(fetchedAfter, [nil, 2, 4, 5])
        XCTAssertEqual(committed, [["1 ok 64", "2 ok 64"], ["3 the PDF lacks お知らせ第3号", "4 ok 64"], ["5 ok 64"]])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(),
                       ["notice-1.pdf", "notice-2.pdf", "notice-4.pdf", "notice-5.pdf"])
        XCTAssertTrue(try PDFText.read(pipeline.finalPath(notices[4])).text.contains("お知らせ第5号"))
    }
}
