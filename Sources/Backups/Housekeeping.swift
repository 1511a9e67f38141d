import Foundation
import NightshiftCore

/// After a verified backup: retention in each directory, and copies to the second directory.
/// Each deletion and copy is an item: a failure is recorded and the rest go on.
struct Housekeeping {
    let settings: BackupSettings
    let database: String
    let now: Date
    let context: JobContext

    func sweep(directory: String, policy: RetentionPolicy, into summary: inout JobSummary) {
        let catalog: BackupCatalog
        do { catalog = try BackupCatalog.scan(directory) } catch {
            fail("retention:\(directory)", "cannot list \(directory): \(error)", into: &summary)
            return
        }
        try? context.failures?.resolve(itemKey: "retention:\(directory)")
        var deleted = 0
        for entry in policy.deletions(catalog.entries(of: database), now: now) {
            let key = "delete:\(entry.path)"
            do {
                try DurableFiles.remove(entry.path)
                try DurableFiles.remove(entry.manifestPath)
                deleted += 1
                try? context.failures?.resolve(itemKey: key)
                context.logger.info("deleted an expired backup", metadata: ["path": .string(entry.path)])
            } catch {
                fail(key, "cannot delete \(entry.path): \(error)", into: &summary)
            }
        }
        let metadataKey = directory == settings.directory ? "deleted" : "copy_deleted"
        summary.metadata[metadataKey] = .int(deleted)
    }

    /// Copies every verified backup the second directory lacks (newest first, within its
    /// retention), so a copy missed by one run is made by the next. False when the directory
    /// itself is unusable (then its retention sweep is pointless).
    @discardableResult
    func copy(from source: String, to target: String, into summary: inout JobSummary) -> Bool {
        do {
            try DurableFiles.makeDirectory(target)
            let existing = try BackupCatalog.scan(target)
            try? context.failures?.resolve(itemKey: "copy:\(target)")
            for path in existing.leftovers(of: database) { try DurableFiles.remove(path) }
            let present = Set(existing.entries.map(\.name.fileName))
            let candidates = try BackupCatalog.scan(source).entries(of: database).filter(\.isVerified)
            let cutoff = now.addingTimeInterval(-Double(settings.copyRetentionDays) * 86_400)
            var copied = 0
            for (index, entry) in candidates.enumerated()
            where !present.contains(entry.name.fileName) && (index < settings.copyKeepCount || entry.name.time >= cutoff) {
                let key = "copy:\(entry.name.fileName)"
                do {
                    try copyOne(entry, to: target)
                    copied += 1
                    summary.itemsOK += 1
                    try? context.failures?.resolve(itemKey: key)
                } catch {
                    fail(key, "copy of \(entry.name.fileName) to \(target) failed: \(error)", into: &summary)
                }
            }
            summary.metadata["copied"] = .int(copied)
            return true
        } catch {
            fail("copy:\(target)", "cannot use the copy directory \(target): \(error)", into: &summary)
            return false
        }
    }

    func copyOne(_ entry: BackupEntry, to target: String) throws {
        guard let manifest = entry.manifest else { return }
        let partial = "\(target)/\(entry.name.fileName)\(BackupName.partialSuffix)"
        let final = "\(target)/\(entry.name.fileName)"
        var committed = false
        defer { if !committed { try? DurableFiles.remove(partial) } }
        try DurableFiles.remove(partial)
        try FileManager.default.copyItem(atPath: entry.path, toPath: partial)
        let copied = try StoredContent(partial)
        guard copied.sha256 == manifest.sha256 else {
            throw BackupFailure("SHA-256 of the copy \(copied.sha256) differs from the manifest's \(manifest.sha256)")
        }
        try manifest.write(to: final + BackupName.manifestSuffix)
        try DurableFiles.commit(partial, to: final)
        committed = true
        context.logger.info("copied a backup", metadata: ["path": .string(final)])
    }

    func fail(_ key: String, _ message: String, into summary: inout JobSummary) {
        context.logger.error("\(message)")
        try? context.failures?.record(itemKey: key, error: message, attempts: 1)
        summary.itemsFailed += 1
        summary.failedItems.append(message)
    }
}
