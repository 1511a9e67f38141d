import CPangoCairo
@testable import Documents
import XCTest

final class FontReductionTests: XCTestCase {
    func testTheEmbeddedFontKeepsEveryOutlineAndLosesItsHinting() throws {
        let original = try EmbeddedFont.file(of: "IPAexGothic")
        let reduced = try EmbeddedFont.reduced(original)
        let bytes = Array(reduced)
        let tables = try FontTables(bytes)
        let before = try FontTables(original)
        XCTAssertNil(tables["fpgm"])
        XCTAssertNil(tables["prep"])
        XCTAssertNil(tables["cvt "])
        XCTAssertEqual(tables["cmap"], FontTables.emptyCharacterMap)
        XCTAssertEqual(tables["hmtx"], before["hmtx"])
        XCTAssertLessThan(try XCTUnwrap(tables["glyf"]).count, try XCTUnwrap(before["glyf"]).count * 6 / 10)
        // The whole file's checksum, with head's adjustment, is the format's magic number.
        XCTAssertEqual(FontTables.checksum(bytes), 0xB1B0_AFBA)

        // FreeType reads the same outline for each of these glyphs from both files.
        var library: FT_Library?
        XCTAssertEqual(FT_Init_FreeType(&library), 0)
        defer { FT_Done_FreeType(library) }
        var originalFace: FT_Face?, reducedFace: FT_Face?
        try original.withUnsafeBufferPointer { file in
            XCTAssertEqual(FT_New_Memory_Face(library, file.baseAddress, FT_Long(file.count), 0, &originalFace), 0)
            XCTAssertEqual(FT_New_Memory_Face(library, reduced.baseAddress!.assumingMemoryBound(to: FT_Byte.self),
                                              FT_Long(reduced.count), 0, &reducedFace), 0)
            defer { FT_Done_Face(originalFace); FT_Done_Face(reducedFace) }
            XCTAssertEqual(reducedFace?.pointee.num_glyphs, originalFace?.pointee.num_glyphs)
            for character in "請求書¥1,234あアA" {
                let glyph = FT_Get_Char_Index(originalFace, FT_ULong(character.unicodeScalars.first!.value))
                XCTAssertNotEqual(glyph, 0, "\(character)")
                XCTAssertEqual(try outline(reducedFace, glyph), try outline(originalFace, glyph), "\(character)")
            }
        }
    }

    func testACompositeGlyphLosesTheInstructionsAfterItsLastComponent() throws {
        let header: [UInt8] = [0xFF, 0xFF, 0, 0, 0, 0, 0, 100, 0, 100]  // -1 contours, bounding box
        let first: [UInt8] = [0x00, 0x21, 0, 5, 0, 10, 0, 20]  // words, more components; glyph 5 at (10, 20)
        let last: [UInt8] = [0x01, 0x08, 0, 6, 3, 4, 0x40, 0]  // instructions, a scale; glyph 6 at (3, 4) × 1.0
        let instructions: [UInt8] = [0, 3, 0xB0, 0x01, 0x2C]
        let stripped = try FontTables.withoutInstructions(header + first + last + instructions, glyph: 1)
        XCTAssertEqual(stripped, header + first + [0x00, 0x08, 0, 6, 3, 4, 0x40, 0])
    }

    func testASimpleGlyphKeepsItsPointsAndLosesItsInstructions() throws {
        let header: [UInt8] = [0, 1, 0, 0, 0, 0, 0, 10, 0, 10]  // one contour
        let endPoints: [UInt8] = [0, 2]
        let points: [UInt8] = [0x37, 0x37, 0x37, 0, 10, 0, 0, 0, 10]  // three on-curve points: flags, x bytes, y bytes
        let stripped = try FontTables.withoutInstructions(header + endPoints + [0, 2, 0xB0, 0x01] + points, glyph: 1)
        XCTAssertEqual(stripped, header + endPoints + [0, 0] + points)
        XCTAssertThrowsError(try FontTables.withoutInstructions(header + endPoints + [0, 9, 0xB0], glyph: 7)) { error in
            XCTAssertTrue("\(error)".contains("glyph 7"), "\(error)")
        }
    }

    /// The glyph's unscaled, unhinted outline: its points and contour ends.
    private func outline(_ face: FT_Face?, _ glyph: FT_UInt) throws -> [Int] {
        XCTAssertEqual(FT_Load_Glyph(face, glyph, FT_Int32(FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING)), 0)
        let outline = try XCTUnwrap(face?.pointee.glyph?.pointee.outline)
        let points = (0..<Int(outline.n_points)).flatMap { [Int(outline.points[$0].x), Int(outline.points[$0].y)] }
        return points + (0..<Int(outline.n_contours)).map { Int(outline.contours[$0]) }
    }
}
