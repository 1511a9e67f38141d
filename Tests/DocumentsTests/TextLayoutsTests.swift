import CPangoCairo
@testable import Documents
import XCTest

final class TextLayoutsTests: XCTestCase {
    func testLayoutsAreKeptPerTextAndStyleUpToTheirCapacity() throws {
        let layouts = TextLayouts(family: "IPAexGothic", capacity: 2)
        func key(_ text: String, bold: Bool = false) -> TextLayouts.Key {
            .init(text: text, size: 10, bold: bold, width: 100, alignment: .left)
        }
        func text(_ layout: OpaquePointer?) -> String { String(cString: pango_layout_get_text(layout)) }
        let first = layouts.layout(key("請求書"))
        XCTAssertEqual(layouts.layout(key("請求書")), first, "kept")
        XCTAssertNotEqual(layouts.layout(key("請求書", bold: true)), first, "another style, another layout")
        XCTAssertEqual(text(layouts.layout(key("御中"))), "御中")  // over capacity: the kept ones go
        XCTAssertEqual(text(layouts.layout(key("請求書"))), "請求書")
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layouts.layout(key("請求書")), &width, &height)
        XCTAssertEqual(width, 30, "three full-width characters at 10 points")
    }
}
