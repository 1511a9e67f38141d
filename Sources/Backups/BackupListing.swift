import Foundation
import NightshiftCore

/// `backup list`: what is in the backup directory, newest first.
public enum BackupListing {
    public static func render(_ catalog: BackupCatalog, now: Date, json: Bool) -> String {
        json ? renderJSON(catalog, now: now) : renderTable(catalog, now: now)
    }

    static func verification(_ entry: BackupEntry) -> String {
        guard let manifest = entry.manifest, entry.isOurs else { return entry.manifestProblem ?? "unknown" }
        if let check = manifest.lastCheck, !check.passed { return "FAILED (\(check.detail))" }
        return manifest.verification.passed ? manifest.verification.level.rawValue : "FAILED"
    }

    static func renderTable(_ catalog: BackupCatalog, now: Date) -> String {
        var rows = [["TIME (UTC)", "SIZE", "AGE", "VERIFIED", "ENCRYPTED", "FILE"]]
        for entry in catalog.entries {
            rows.append([
                BackupName.stamp(entry.name.time),
                entry.manifest.map { humanSize($0.sizeBytes) } ?? "?",
                age(now.timeIntervalSince(entry.name.time)),
                verification(entry),
                entry.name.encrypted ? "yes" : "no",
                entry.name.fileName,
            ])
        }
        if catalog.entries.isEmpty { return "no backups in \(catalog.directory)\n" }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
        var text = rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
        if !catalog.partials.isEmpty {
            text += "\(catalog.partials.count) unfinished (.partial) left by an interrupted run; the next backup removes them\n"
        }
        return text
    }

    static func renderJSON(_ catalog: BackupCatalog, now: Date) -> String {
        let items = catalog.entries.map { entry -> String in
            var fields = [
                "\"file\":" + jsonQuoted(entry.name.fileName),
                "\"path\":" + jsonQuoted(entry.path),
                "\"database\":" + jsonQuoted(entry.manifest?.database ?? entry.name.database),
                "\"time\":" + jsonQuoted(LocalTime.utcTimestamp(entry.name.time)),
                "\"age_seconds\":\(Int(now.timeIntervalSince(entry.name.time)))",
                "\"format\":" + jsonQuoted(entry.name.format.rawValue),
                "\"encrypted\":\(entry.name.encrypted)",
                "\"verified\":\(entry.isVerified)",
                "\"verification\":" + jsonQuoted(verification(entry)),
            ]
            if let manifest = entry.manifest {
                fields.append("\"size_bytes\":\(manifest.sizeBytes)")
                fields.append("\"sha256\":" + jsonQuoted(manifest.sha256))
                fields.append("\"table_count\":\(manifest.tableCount)")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + items.joined(separator: ",\n ") + "]\n"
    }

    static func humanSize(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h\(s / 60 % 60)m" }
        return "\(s / 86_400)d\(s / 3600 % 24)h"
    }
}
