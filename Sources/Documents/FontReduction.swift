/// What a font embedded in our PDFs can do without (see `EmbeddedFont`).
extension FontTables {
    /// A `cmap` that maps nothing: one format-4 segment for U+FFFF.
    static let emptyCharacterMap: [UInt8] = [0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12,  // version 0, one subtable: (3, 1) at 12
                                            0, 4, 0, 24, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0,  // format 4, length 24, one segment
                                            0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 1, 0, 0]  // end, pad, start, delta, range offset

    /// Drops the TrueType hinting programs: each glyph's instructions (`glyf`, with `loca`
    /// rewritten in the long format) and the `fpgm`, `prep` and `cvt ` tables. Outlines and
    /// metrics stay as they were. A font without `glyf` outlines is left alone.
    mutating func removeHinting() throws {
        guard var head = self["head"], head.count >= 54, let maxp = self["maxp"], maxp.count >= 6,
              let loca = self["loca"], let glyf = self["glyf"] else { return }
        let longOffsets = FontTables.u16(head, 50) == 1
        let glyphCount = FontTables.u16(maxp, 4)
        guard loca.count >= (glyphCount + 1) * (longOffsets ? 4 : 2) else { throw DocumentError("truncated font loca table") }
        func offset(_ glyph: Int) -> Int { longOffsets ? FontTables.u32(loca, 4 * glyph) : 2 * FontTables.u16(loca, 2 * glyph) }

        var outlines: [UInt8] = [], offsets: [UInt8] = []
        outlines.reserveCapacity(glyf.count)
        offsets.reserveCapacity(4 * (glyphCount + 1))
        for glyph in 0..<glyphCount {
            offsets += FontTables.be32(outlines.count)
            let start = offset(glyph), end = offset(glyph + 1)
            guard start <= end, end <= glyf.count else { throw DocumentError("font glyph \(glyph) lies outside glyf") }
            guard start < end else { continue }
            outlines += try FontTables.withoutInstructions(Array(glyf[start..<end]), glyph: glyph)
            outlines += [UInt8](repeating: 0, count: (4 - outlines.count % 4) % 4)
        }
        offsets += FontTables.be32(outlines.count)
        head.replaceSubrange(50..<52, with: [0, 1])
        self["head"] = head
        self["loca"] = offsets
        self["glyf"] = outlines
        for tag in ["fpgm", "prep", "cvt "] { self[tag] = nil }
    }

    /// One `glyf` entry without its instructions: a simple glyph's instruction length becomes 0;
    /// a composite glyph loses the instructions after its last component.
    static func withoutInstructions(_ glyph: [UInt8], glyph number: Int) throws -> [UInt8] {
        let malformed = DocumentError("font glyph \(number) is malformed")
        guard glyph.count >= 10 else { throw malformed }
        let contours = Int(Int16(bitPattern: UInt16(u16(glyph, 0))))
        if contours >= 0 {
            let lengthAt = 10 + 2 * contours
            guard glyph.count >= lengthAt + 2, glyph.count >= lengthAt + 2 + u16(glyph, lengthAt) else { throw malformed }
            return Array(glyph[0..<lengthAt]) + [0, 0] + glyph[(lengthAt + 2 + u16(glyph, lengthAt))...]
        }
        let argumentsAreWords = 0x0001, hasScale = 0x0008, moreComponents = 0x0020, hasXYScale = 0x0040,
            hasTwoByTwo = 0x0080, hasInstructions = 0x0100
        var at = 10
        while true {
            guard glyph.count >= at + 4 else { throw malformed }
            let flags = u16(glyph, at)
            var size = 4 + (flags & argumentsAreWords != 0 ? 4 : 2)
            if flags & hasScale != 0 { size += 2 } else if flags & hasXYScale != 0 { size += 4 } else if flags & hasTwoByTwo != 0 { size += 8 }
            guard glyph.count >= at + size else { throw malformed }
            if flags & moreComponents == 0 {
                var out = Array(glyph[0..<at + size])
                out.replaceSubrange(at..<at + 2, with: be16(flags & ~hasInstructions))
                return out
            }
            at += size
        }
    }
}
