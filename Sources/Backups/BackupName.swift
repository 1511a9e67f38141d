import Foundation
import Postgres

/// `backup_<database>_<UTC timestamp>.dump` (custom format), `.dump.age` (encrypted) or `.dir`
/// (directory format). The manifest sits beside it as `<name>.manifest.json`; work in progress
/// carries `.partial`, which no listing, retention or restore ever takes for a backup.
public struct BackupName: Hashable, Sendable {
    public enum Format: String, Codable, Sendable { case custom, directory }

    public let database: String
    /// Whole seconds, UTC.
    public let time: Date
    public let format: Format
    public let encrypted: Bool

    public init(database: String, time: Date, format: Format, encrypted: Bool) {
        self.database = BackupName.fileSafe(database)
        self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
        self.format = format
        self.encrypted = encrypted
    }

    public static let manifestSuffix = ".manifest.json"
    public static let partialSuffix = ".partial"

    public var fileName: String {
        "backup_\(database)_\(BackupName.stamp(time))" + (format == .directory ? ".dir" : (encrypted ? ".dump.age" : ".dump"))
    }
    public var manifestName: String { fileName + BackupName.manifestSuffix }
    /// Where pg_dump writes before verification (always plaintext).
    public var partialName: String {
        "backup_\(database)_\(BackupName.stamp(time))" + (format == .directory ? ".dir" : ".dump") + BackupName.partialSuffix
    }

    /// Parses a final backup name; nil for anything else (partials, manifests, foreign files).
    public static func parse(_ fileName: String) -> BackupName? {
        guard fileName.hasPrefix("backup_") else { return nil }
        var rest = Substring(fileName.dropFirst("backup_".count))
        let format: Format, encrypted: Bool
        if rest.hasSuffix(".dump.age") { (format, encrypted) = (.custom, true); rest = rest.dropLast(9) }
        else if rest.hasSuffix(".dump") { (format, encrypted) = (.custom, false); rest = rest.dropLast(5) }
        else if rest.hasSuffix(".dir") { (format, encrypted) = (.directory, false); rest = rest.dropLast(4) }
        else { return nil }
        guard rest.count > 17, rest[rest.index(rest.endIndex, offsetBy: -17)] == "_" else { return nil }
        let stampText = rest.suffix(16)
        let database = rest.dropLast(17)
        guard !database.isEmpty, database == fileSafe(String(database)), let time = parseStamp(String(stampText)) else { return nil }
        return BackupName(database: String(database), time: time, format: format, encrypted: encrypted)
    }

    /// Database names become file-name safe: anything but ASCII letters, digits, `_`, `-` and `.` is `-`.
    public static func fileSafe(_ database: String) -> String {
        String(database.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) ? $0 : "-" })
    }

    /// `20261123T010000Z`.
    public static func stamp(_ time: Date) -> String {
        let f = CivilCalendar.fields(ofSecond: Int64(time.timeIntervalSince1970.rounded(.down)))
        return String(format: "%04lld%02lld%02lldT%02lld%02lld%02lldZ", f.year, f.month, f.day, f.hour, f.minute, f.second)
    }

    static func parseStamp(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 16, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for c in chars[range] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(4..<6), let d = number(6..<8),
              let h = number(9..<11), let mi = number(11..<13), let s = number(13..<15),
              (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        let days = CivilCalendar.daysFromCivil(y, m, d)
        return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + s))
    }
}
