/// The tables of a TrueType/OpenType (sfnt) font file, to read, change and write back.
struct FontTables {
    private let version: [UInt8]
    private(set) var tables: [(tag: String, body: [UInt8])]

    init(_ file: [UInt8]) throws {
        guard file.count >= 12 else { throw DocumentError("not a font file") }
        let count = FontTables.u16(file, 4)
        guard file.count >= 12 + 16 * count else { throw DocumentError("truncated font file") }
        version = Array(file[0..<4])
        tables = try (0..<count).map { index in
            let record = 12 + 16 * index
            let offset = FontTables.u32(file, record + 8), length = FontTables.u32(file, record + 12)
            guard offset + length <= file.count else { throw DocumentError("truncated font file") }
            return (String(decoding: file[record..<record + 4], as: UTF8.self), Array(file[offset..<offset + length]))
        }
    }

    subscript(tag: String) -> [UInt8]? {
        get { tables.first { $0.tag == tag }?.body }
        set {
            let index = tables.firstIndex { $0.tag == tag }
            switch (index, newValue) {
            case let (index?, body?): tables[index].body = body
            case let (index?, nil): tables.remove(at: index)
            case let (nil, body?): tables.append((tag, body)); tables.sort { $0.tag < $1.tag }
            case (nil, nil): break
            }
        }
    }

    /// The file: directory, then each table 4-byte aligned, with checksums and `head`'s
    /// checksum adjustment as the format defines them.
    func serialized() -> [UInt8] {
        let count = tables.count
        let power = 1 << (Int.bitWidth - 1 - count.leadingZeroBitCount)  // largest power of two ≤ count
        let searchRange = power * 16, entrySelector = power.trailingZeroBitCount
        var out = version + FontTables.be16(count) + FontTables.be16(searchRange) + FontTables.be16(entrySelector) +
            FontTables.be16(count * 16 - searchRange)
        var offset = 12 + 16 * count
        var bodies: [UInt8] = []
        var headOffset: Int?
        for (tag, body) in tables {
            var padded = body
            if tag == "head", padded.count >= 12 {
                padded.replaceSubrange(8..<12, with: [0, 0, 0, 0])
                headOffset = offset
            }
            padded += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            out += Array(tag.utf8) + FontTables.be32(FontTables.checksum(padded)) + FontTables.be32(offset) +
                FontTables.be32(body.count)
            bodies += padded
            offset += padded.count
        }
        out += bodies
        if let headOffset {
            let adjustment = (0xB1B0_AFBA &- FontTables.checksum(out)) & 0xFFFF_FFFF
            out.replaceSubrange(headOffset + 8..<headOffset + 12, with: FontTables.be32(adjustment))
        }
        return out
    }

    static func checksum(_ bytes: [UInt8]) -> Int {
        var sum: UInt32 = 0
        var index = 0
        while index < bytes.count {
            var word: UInt32 = 0
            for byte in 0..<4 { word = word << 8 | UInt32(index + byte < bytes.count ? bytes[index + byte] : 0) }
            sum = sum &+ word
            index += 4
        }
        return Int(sum)
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    static func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) << 16 | u16(bytes, at + 2) }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: Int) -> [UInt8] { be16(value >> 16) + be16(value) }
}
