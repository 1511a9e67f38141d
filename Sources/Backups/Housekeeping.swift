import Foundation
import NightshiftCore

/// After a verified backup: retention in each directory, and copies to the second directory.
/// Each directory, deletion and copy is an item of its step: a failure is recorded and the rest
/// go on.
struct Housekeeping {
    static let listStep = ItemStep<String>(name: "retention", failureMessage: "cannot list a backup directory",
                                           keys: { ["retention:\($0)"] }, label: { "cannot list \($0)" })
    static let deleteStep = ItemStep<BackupEntry>(name: "delete", failureMessage: "cannot delete an expired backup",
                                                  keys: { ["delete:\($0.path)"] }, label: { "cannot delete \($0.path)" },
                                                  fields: { ["path": .string($0.path)] })
    static let copyDirectoryStep = ItemStep<String>(name: "copy_directory", failureMessage: "cannot use the copy directory",
                                                    keys: { ["copy:\($0)"] }, label: { "cannot use the copy directory \($0)" })
    static let copyStep = ItemStep<BackupEntry>(name: "copy", failureMessage: "backup copy failed",
                                                keys: { ["copy:\($0.name.fileName)"] }, label: { "copy of \($0.name.fileName)" },
                                                fields: { ["file": .string($0.name.fileName)] })

    let settings: BackupSettings
    let database: String
    let now: Date
    let context: JobContext

    func sweep(directory: String, policy: RetentionPolicy, into summary: inout JobSummary) throws {
        var catalog: BackupCatalog?
        try context.run(Housekeeping.listStep, [directory], into: &summary) { catalog = try BackupCatalog.scan($0) }
        guard let catalog else { return }
        let deleted = try context.run(Housekeeping.deleteStep, policy.deletions(catalog.entries(of: database), now: now),
                                      into: &summary) { entry in
            try DurableFiles.remove(entry.path)
            try DurableFiles.remove(entry.manifestPath)
            context.logger.info("deleted an expired backup", metadata: ["path": .string(entry.path)])
        }
        summary.metadata[directory == settings.directory ? "deleted" : "copy_deleted"] = .int(deleted.ok)
    }

    /// Copies every verified backup the second directory lacks (newest first, within its
    /// retention), so a copy missed by one run is made by the next. False when the directory
    /// itself is unusable (then its retention sweep is pointless).
    func copy(from source: String, to target: String, into summary: inout JobSummary) throws -> Bool {
        var candidates: [BackupEntry]?
        try context.run(Housekeeping.copyDirectoryStep, [target], into: &summary) { target in
            try DurableFiles.makeDirectory(target)
            let existing = try BackupCatalog.scan(target)
            for path in existing.leftovers(of: database) { try DurableFiles.remove(path) }
            let present = Set(existing.entries.map(\.name.fileName))
            let cutoff = now.addingTimeInterval(-Double(settings.copyRetentionDays) * 86_400)
            candidates = try BackupCatalog.scan(source).entries(of: database).filter(\.isVerified).enumerated().filter { index, entry in
                !present.contains(entry.name.fileName) && (index < settings.copyKeepCount || entry.name.time >= cutoff)
            }.map(\.element)
        }
        guard let candidates else { return false }
        let copied = try context.run(Housekeeping.copyStep, candidates, into: &summary) { try copyOne($0, to: target) }
        summary.metadata["copied"] = .int(copied.ok)
        return true
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
}
