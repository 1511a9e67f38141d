import Foundation

/// A value bound to a `$n` parameter. Values travel in PostgreSQL's text format; the SQL
/// gives the type where the server cannot infer it (`$1::int8[]`).
public protocol PostgresEncodable {
    var postgresText: String? { get }
}

extension String: PostgresEncodable { public var postgresText: String? { self } }
extension Int: PostgresEncodable { public var postgresText: String? { String(self) } }
extension Int32: PostgresEncodable { public var postgresText: String? { String(self) } }
extension Int64: PostgresEncodable { public var postgresText: String? { String(self) } }
extension Bool: PostgresEncodable { public var postgresText: String? { self ? "t" : "f" } }
extension Double: PostgresEncodable { public var postgresText: String? { String(self) } }
extension Date: PostgresEncodable {
    public var postgresText: String? { PostgresTimestamp.format(self) }
}
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}
extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// A one-dimensional array literal; every element quoted so any text survives. Built as
    /// UTF-8 bytes: status-collect sends four of these per business, one element per cast.
    public var postgresText: String? {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(2 + count * 16)
        for (index, element) in enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard var text = element.postgresText else { out.append(contentsOf: "NULL".utf8); continue }
            out.append(UInt8(ascii: "\""))
            text.withUTF8 { bytes in
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                    out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// Exact conversion between `Date` and PostgreSQL's `timestamptz` text, to the microsecond.
public enum PostgresTimestamp {
    public static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        let f = CivilCalendar.fields(ofSecond: seconds)
        return String(format: "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld+00", f.year, f.month, f.day, f.hour, f.minute, f.second, fraction)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]` as the server prints it (ISO DateStyle).
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[from..<from + count] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
              let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2) else { return nil }
        var index = 19
        var micros: Int64 = 0
        if index < chars.count && chars[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(chars[index] - 48) }
                digits += 1; index += 1
            }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offset: Int64 = 0
        if index < chars.count {
            let sign: Int64 = chars[index] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = number(index + 1, 2) else { return nil }
            var om: Int64 = 0
            if index + 3 < chars.count, chars[index + 3] == UInt8(ascii: ":") { om = number(index + 4, 2) ?? 0 }
            offset = sign * (oh * 3600 + om * 60)
        }
        let seconds = CivilCalendar.daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}
