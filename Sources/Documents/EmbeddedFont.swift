import CPangoCairo
import Foundation

/// The font PDFs embed, as a cairo font face of its own: the family's file (found through
/// fontconfig) loaded by FreeType from memory, reduced in two ways that leave every glyph's
/// outline, metrics and id as they were.
///
/// - Its character map maps nothing. For every glyph a PDF uses, cairo 1.16 looks the glyph's
///   character up by scanning the font's whole format-4 cmap (IPAex Gothic: 4,996 segments,
///   copied into a fresh buffer each time) — a quarter of the CPU of an invoice — only to replace
///   the answer with the text we pass along with the glyphs anyway. Pango still shapes with the
///   real font (its own copy of the file); the PDF's ToUnicode map comes from the text given with
///   the glyphs, so the text extracts as before.
/// - It has no TrueType hinting: in IPAex Gothic the instructions are 46 % of the glyph data, so
///   every PDF's font subset was nearly twice the size to write, deflate and read back, for grid
///   fitting at small pixel sizes that PDF viewers and printers do not use.
///
/// A set is used by one thread at a time; `withFonts` lends one out of a pool.
public final class EmbeddedFont: @unchecked Sendable {
    public let family: String
    /// One weight: IPAex Gothic has no bold, and a synthesized one is not the font's outlines,
    /// so cairo would embed a second, converted (CFF) copy of the glyphs in every PDF.
    let face: OpaquePointer
    let layouts: TextLayouts

    private init(family: String, bytes: UnsafeMutableRawBufferPointer) throws {
        self.family = family
        face = try EmbeddedFont.face(bytes)
        layouts = TextLayouts(family: family)
    }

    /// Runs `body` with a font set of `family` no other thread is using.
    public static func withFonts<T>(family: String, _ body: (EmbeddedFont) throws -> T) throws -> T {
        let font = try pool.take(family: family)
        defer { pool.give(font) }
        return try body(font)
    }

    private static let pool = Pool()

    /// Font sets are made on demand and kept for the life of the process (cairo may hold on to
    /// a face in its caches after we are done with it).
    private final class Pool: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [EmbeddedFont] = []
        private var files: [String: UnsafeMutableRawBufferPointer] = [:]

        func take(family: String) throws -> EmbeddedFont {
            lock.lock()
            defer { lock.unlock() }
            if let index = idle.firstIndex(where: { $0.family == family }) { return idle.remove(at: index) }
            if files[family] == nil { files[family] = try EmbeddedFont.reduced(try EmbeddedFont.file(of: family)) }
            return try EmbeddedFont(family: family, bytes: files[family]!)
        }

        func give(_ font: EmbeddedFont) {
            lock.lock()
            idle.append(font)
            lock.unlock()
        }
    }

    /// One FreeType library per face: faces never share state between threads.
    private static func face(_ bytes: UnsafeMutableRawBufferPointer) throws -> OpaquePointer {
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else { throw DocumentError("FreeType cannot start") }
        var face: FT_Face?
        let base = bytes.baseAddress!.assumingMemoryBound(to: FT_Byte.self)
        guard FT_New_Memory_Face(library, base, FT_Long(bytes.count), 0, &face) == 0, let face else {
            throw DocumentError("FreeType cannot read the font")
        }
        guard let cairoFace = cairo_ft_font_face_create_for_ft_face(face, 0),
              cairo_font_face_status(cairoFace) == CAIRO_STATUS_SUCCESS else {
            throw DocumentError("cairo cannot use the font")
        }
        return cairoFace
    }

    /// The file fontconfig picks for `family`; an error when it would substitute another family.
    static func file(of family: String) throws -> [UInt8] {
        guard let pattern = FcNameParse(family) else { throw DocumentError("bad font name \(family)") }
        defer { FcPatternDestroy(pattern) }
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, pattern, &result) else { throw DocumentError("no font for \(family)") }
        defer { FcPatternDestroy(match) }
        var name: UnsafeMutablePointer<FcChar8>?
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FAMILY, 0, &name) == FcResultMatch, let name,
              String(cString: name) == family else {
            throw DocumentError("font \(family) is not installed (fonts-ipaexfont-gothic provides IPAexGothic)")
        }
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let file,
              let data = FileManager.default.contents(atPath: String(cString: file)) else {
            throw DocumentError("cannot read the file of font \(family)")
        }
        return Array(data)
    }

    /// The file as embedded: its `cmap` mapping nothing and without hinting (see `FontTables`),
    /// in memory for the life of the process.
    static func reduced(_ file: [UInt8]) throws -> UnsafeMutableRawBufferPointer {
        var tables = try FontTables(file)
        tables["cmap"] = FontTables.emptyCharacterMap
        try tables.removeHinting()
        let bytes = tables.serialized()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        buffer.copyBytes(from: bytes)
        return buffer
    }
}
