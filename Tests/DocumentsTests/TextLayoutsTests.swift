import CPangoCairo
@testable import Documents
import XCTest

final class TextLayoutsTests: XCTestCase {
    func testLayoutsAreKeptPerTextAndStyleUpToTheirCapacity() throws {
        let layouts = TextLayouts(family: "IPAexGothic", capacity: 2)
        func key(_ text: String, size: Double = 10) -> TextLayouts.Key {
            .init(text: text, size: size, width: 100, alignment: .left)
        }
        func text(_ layout: OpaquePointer?) -> String { String(cString: pango_layout_get_text(layout)) }
        let first = layouts.layout(key("請求書"))
        XCTAssertEqual(layouts.layout(key("請求書")), first, "kept")
        XCTAssertNotEqual(layouts.layout(key("請求書", size: 12)), first, "another style, another layout")
        XCTAssertEqual(text(layouts.layout(key("御中"))), "御中")  // over capacity: the kept ones go
        XCTAssertEqual(text(layouts.layout(key("請求書"))), "請求書")
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layouts.layout(key("請求書")), &width, &height)
        XCTAssertEqual(width, 30, "three full-width characters at 10 points")
    }

    func testGlyphsAdvanceByTheFontsOwnWidthsNotWholePoints() throws {
        let layouts = TextLayouts(family: "IPAexGothic")
        let layout = layouts.layout(.init(text: "1111111111", size: 9, width: 300, alignment: .left))
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        // IPAex Gothic's "1" advances 1290/2048 em (its hmtx); at 9 points that is 5.669 points,
        // ten of them 56.69 points. Rounded to whole points per glyph it would be 60 (10 × 6).
        XCTAssertEqual(Double(width) / Double(PANGO_SCALE), 56.69, accuracy: 0.01)
    }
}

final class PhrasesTests: XCTestCase {
    func testPhrasesKeepWordsWhole() {
        XCTAssertEqual(Phrases.split("東京都渋谷区神南1-2-3ナイトシフトビル4階"), ["東京都渋谷区神南1-2-3", "ナイトシフトビル4階"])
        XCTAssertEqual(Phrases.split("株式会社ミッドナイト・クラウドソリューションズ・ジャパン\u{A0}御中"),
                       ["株式会社", "ミッドナイト・", "クラウドソリューションズ・", "ジャパン\u{A0}御中"])
        XCTAssertEqual(Phrases.split("Midnight Cloud Solutions"), ["Midnight ", "Cloud ", "Solutions"])
        XCTAssertEqual(Phrases.split("基本料金(Standard 10/16〜10/31 日割 16/31日)"), ["基本料金", "(Standard ", "10/16〜10/31 ", "日割 ", "16/31日)"])
        XCTAssertEqual(Phrases.split("〒150-0041\n東京都"), ["〒150-0041\n東京都"], "line breaks are the caller's")
    }
}
