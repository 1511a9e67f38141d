import Foundation
import NightshiftCore

/// One backup found in a directory.
public struct BackupEntry: Sendable {
    public let name: BackupName
    public let path: String
    public let manifest: BackupManifest?
    /// Why the manifest is missing or does not belong to this file.
    public let manifestProblem: String?

    public var manifestPath: String { path + BackupName.manifestSuffix }
    /// Made by this suite: the manifest names this file and this database.
    public var isOurs: Bool { manifest != nil && manifestProblem == nil }
    public var isVerified: Bool { isOurs && manifest!.isVerified }
}

/// What a backup directory holds: backups with their manifests, and leftovers of killed runs.
public struct BackupCatalog: Sendable {
    /// When the newest verified backup of `database` in `directory` was taken; nil when none is.
    public static func newestVerified(in directory: String, database: String) -> Date? {
        (try? scan(directory))?.entries(of: database).filter(\.isVerified).map(\.name.time).max()
    }

    public let directory: String
    /// Newest first.
    public let entries: [BackupEntry]
    /// `.partial` files and directories.
    public let partials: [String]
    /// Manifests whose backup is missing (a run killed between the two renames).
    public let orphanManifests: [String]

    public static func scan(_ directory: String) throws -> BackupCatalog {
        guard FileManager.default.fileExists(atPath: directory) else {
            return BackupCatalog(directory: directory, entries: [], partials: [], orphanManifests: [])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let present = Set(names)
        var entries: [BackupEntry] = [], partials: [String] = [], orphans: [String] = []
        for fileName in names {
            let path = "\(directory)/\(fileName)"
            if fileName.hasPrefix("backup_") && fileName.hasSuffix(BackupName.partialSuffix) {
                partials.append(path)
            } else if fileName.hasPrefix("backup_") && fileName.hasSuffix(BackupName.manifestSuffix) {
                let backupName = String(fileName.dropLast(BackupName.manifestSuffix.count))
                if BackupName.parse(backupName) != nil && !present.contains(backupName) { orphans.append(path) }
            } else if let name = BackupName.parse(fileName) {
                entries.append(entry(name, path: path))
            }
        }
        entries.sort { $0.name.time > $1.name.time }
        return BackupCatalog(directory: directory, entries: entries, partials: partials.sorted(), orphanManifests: orphans.sorted())
    }

    static func entry(_ name: BackupName, path: String) -> BackupEntry {
        let manifestPath = path + BackupName.manifestSuffix
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            return BackupEntry(name: name, path: path, manifest: nil, manifestProblem: "no manifest")
        }
        do {
            let manifest = try BackupManifest.read(manifestPath)
            var problem: String?
            if manifest.file != name.fileName { problem = "manifest names \(manifest.file)" }
            else if BackupName.fileSafe(manifest.database) != name.database { problem = "manifest names database \(manifest.database)" }
            return BackupEntry(name: name, path: path, manifest: manifest, manifestProblem: problem)
        } catch {
            return BackupEntry(name: name, path: path, manifest: nil, manifestProblem: "unreadable manifest: \(error)")
        }
    }

    /// Backups of one database (file-safe name).
    public func entries(of database: String) -> [BackupEntry] {
        let safe = BackupName.fileSafe(database)
        return entries.filter { $0.name.database == safe }
    }

    /// Partials and orphan manifests of one database: what killed runs left behind.
    public func leftovers(of database: String) -> [String] {
        let prefix = "backup_\(BackupName.fileSafe(database))_"
        return (partials + orphanManifests).filter { ($0 as NSString).lastPathComponent.hasPrefix(prefix) }
    }

    /// Resolves a FILE argument: a path, or a name inside the directory.
    public func find(_ argument: String) -> BackupEntry? {
        let fileName = (argument as NSString).lastPathComponent
        if let entry = entries.first(where: { $0.name.fileName == fileName }) { return entry }
        guard let name = BackupName.parse(fileName), FileManager.default.fileExists(atPath: argument) else { return nil }
        return BackupCatalog.entry(name, path: argument)
    }
}
