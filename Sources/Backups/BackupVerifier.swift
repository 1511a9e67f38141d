import Foundation
import NightshiftCore

/// `backup verify`: the file still matches its manifest's SHA-256, its table of contents lists
/// every table, and with `--restore` it restores into a scratch database. The result is kept in
/// the manifest (`last_check`), so retention never counts a broken backup as a good one.
public struct BackupVerifier {
    public struct Report: Sendable {
        public let file: String
        public let passed: Bool
        public let detail: String
    }

    let settings: BackupSettings
    let core: CoreSettings
    let identity: String?

    public init(settings: BackupSettings, core: CoreSettings, identity: String?) {
        self.settings = settings
        self.core = core
        self.identity = identity
    }

    public func verify(_ entry: BackupEntry, restore: Bool) -> Report {
        guard let manifest = entry.manifest, entry.isOurs else {
            return Report(file: entry.path, passed: false, detail: entry.manifestProblem ?? "no manifest")
        }
        var level = BackupManifest.Verification.Level.list
        var detail: String
        var passed = false
        do {
            detail = try check(entry, manifest, restore: restore)
            passed = true
            if restore { level = .restore }
        } catch {
            detail = "\(error)"
        }
        var updated = manifest
        updated.lastCheck = .init(level: level, passed: passed, checkedAt: Date(), detail: detail)
        do { try updated.write(to: entry.manifestPath) } catch {
            detail += " (and the manifest could not be updated: \(error))"
        }
        return Report(file: entry.path, passed: passed, detail: detail)
    }

    func check(_ entry: BackupEntry, _ manifest: BackupManifest, restore: Bool) throws -> String {
        let content = try StoredContent(entry.path)
        guard content.sha256 == manifest.sha256 else {
            var detail = "SHA-256 mismatch: file \(content.sha256), manifest \(manifest.sha256)"
            if let files = manifest.files, let now = content.files {
                let changed = files.filter { old in !now.contains(old) }.map(\.name)
                if !changed.isEmpty { detail += "; changed or missing: " + changed.prefix(5).joined(separator: ", ") }
            }
            throw BackupFailure(detail)
        }
        var plain = entry.path
        var scratchDirectory: String?
        defer { if let scratchDirectory { try? DurableFiles.remove(scratchDirectory) } }
        if manifest.encrypted {
            guard let identity else {
                if restore { throw UsageError("\(entry.name.fileName) is encrypted: --restore needs --identity FILE") }
                return "SHA-256 matches (encrypted: give --identity to check the contents)"
            }
            scratchDirectory = try BackupVerifier.privateTemporaryDirectory()
            plain = "\(scratchDirectory!)/plain.dump"
            try AgeEncryption(executable: settings.age).decrypt(entry.path, to: plain, identity: identity)
            let digest = try FileDigest.sha256(ofFile: plain)
            guard digest == manifest.plaintextSha256 else {
                throw BackupFailure("decrypted SHA-256 \(digest) differs from the manifest's \(manifest.plaintextSha256 ?? "none")")
            }
        }
        let tools = try ClientTools.locate(settings, needDump: false)
        let missing = ClientTools.missingTables(manifest.tables, inListing: try tools.list(plain))
        guard missing.isEmpty else { throw BackupFailure("pg_restore --list lacks " + missing.prefix(5).joined(separator: ", ")) }
        var detail = "SHA-256 matches, pg_restore --list shows all \(manifest.tableCount) tables"
        if restore {
            let exact = manifest.tables.allSatisfy { $0.rows != nil }
                ? Dictionary(uniqueKeysWithValues: manifest.tables.compactMap { t in t.rows.map { (t.qualifiedName, $0) } }) : nil
            let outcome = try ScratchRestore(databaseURL: core.databaseURL, settings: core, tools: tools, jobs: settings.jobs)
                .verify(plain, tables: manifest.tables, expected: exact)
            guard outcome.passed else { throw BackupFailure(outcome.detail) }
            detail += "; " + outcome.detail
        }
        return detail
    }

    /// A 0700 directory for decrypted plaintext, removed after use.
    static func privateTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/nightshift-backup-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw DurableFiles.Failure(path: NSTemporaryDirectory(), operation: "mkdtemp", code: errno)
        }
        return String(cString: made)
    }
}
