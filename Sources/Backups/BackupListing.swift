import Foundation
import NightshiftCore

/// `backup list`: what is in the backup directory, newest first.
public enum BackupListing {
    public static func render(_ catalog: BackupCatalog, now: Date, json: Bool, zone: TimeZone) -> String {
        json ? renderJSON(catalog, now: now) : renderTable(catalog, now: now, zone: zone)
    }

    static func verification(_ entry: BackupEntry) -> String {
        guard let manifest = entry.manifest, entry.isOurs else { return entry.manifestProblem ?? "unknown" }
        if let check = manifest.lastCheck, !check.passed { return "FAILED (\(check.detail))" }
        return manifest.verification.passed ? manifest.verification.level.rawValue : "FAILED"
    }

    static func renderTable(_ catalog: BackupCatalog, now: Date, zone: TimeZone) -> String {
        let rows = catalog.entries.map { entry in
            [LocalTime.isoTimestamp(entry.name.time, in: zone),
             entry.manifest.map { humanSize($0.sizeBytes) } ?? "?",
             age(now.timeIntervalSince(entry.name.time)),
             verification(entry),
             entry.name.encrypted ? "yes" : "no",
             entry.name.fileName]
        }
        if catalog.entries.isEmpty { return "no backups in \(catalog.directory)\n" }
        var text = TextTable(headers: ["TIME", "SIZE", "AGE", "VERIFIED", "ENCRYPTED", "FILE"], rightAligned: [1, 2])
            .render(rows, indent: "") + "\n"
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
