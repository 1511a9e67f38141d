import Foundation
import NightshiftCore

/// Makes one backup: dump under a `.partial` name, digest, verify, encrypt if asked, write the
/// manifest, and only then give the backup its final name. Any failure removes what it wrote.
struct BackupMaker {
    let settings: BackupSettings
    let core: CoreSettings
    let tools: ClientTools
    let encryption: AgeEncryption?
    let logger: Logger

    func make(_ name: BackupName, database: String, serverVersion: String, verifyRestore: Bool) throws -> BackupManifest {
        let directory = settings.directory
        let plain = "\(directory)/\(name.partialName)"
        let encrypted = "\(directory)/\(name.fileName)\(BackupName.partialSuffix)"
        let final = "\(directory)/\(name.fileName)"
        let manifestPath = final + BackupName.manifestSuffix
        var committed = false
        defer {
            if !committed {
                for path in [plain, encrypted, manifestPath] { try? DurableFiles.remove(path) }
            }
        }

        let started = Date()
        let snapshot = try DumpSnapshot(databaseURL: core.databaseURL, settings: core)
        defer { snapshot.close() }
        var tables = try snapshot.tables()
        do {
            try tools.dump(ClientConnection(databaseURL: core.databaseURL), snapshot: snapshot.id, format: name.format,
                           jobs: settings.jobs, to: plain)
        } catch let failure as ClientTools.ToolFailure {
            throw BackupFailure("dump failed, nothing kept: \(failure)" + (failure.isDiskFull ? " (disk full in \(directory))" : ""))
        }
        let finished = Date()
        logger.debug("pg_dump finished", metadata: ["seconds": .double(finished.timeIntervalSince(started))])

        var content = try StoredContent(plain)
        let listing = try tools.list(plain)
        let missing = ClientTools.missingTables(tables, inListing: listing)
        guard missing.isEmpty else {
            throw BackupFailure("verification failed: pg_restore --list lacks " + missing.prefix(5).joined(separator: ", "))
        }
        var verification = BackupManifest.Verification(level: .list, passed: true, checkedAt: Date(),
                                                       detail: "pg_restore --list shows all \(tables.count) tables")
        if verifyRestore {
            let counts = try snapshot.exactCounts()
            snapshot.close()
            let outcome = try ScratchRestore(databaseURL: core.databaseURL, settings: core, tools: tools, jobs: settings.jobs)
                .verify(plain, tables: tables, expected: counts)
            guard outcome.passed else { throw BackupFailure("restore verification failed: \(outcome.detail)") }
            for index in tables.indices { tables[index].rows = counts[tables[index].qualifiedName] }
            verification = .init(level: .restore, passed: true, checkedAt: Date(), detail: outcome.detail)
        }
        snapshot.close()

        var plaintextSha256: String?
        var onDisk = plain
        if let recipient = settings.ageRecipient, let encryption {
            try encryption.encrypt(plain, to: encrypted, recipient: recipient)
            plaintextSha256 = content.sha256
            content = try StoredContent(encrypted)
            try DurableFiles.remove(plain)
            onDisk = encrypted
        }

        let manifest = BackupManifest(
            file: name.fileName, database: database, format: name.format, jobs: settings.jobs,
            serverVersion: serverVersion, pgDumpVersion: tools.pgDumpVersion, host: ProcessInfo.processInfo.hostName,
            startedAt: started, finishedAt: finished, sizeBytes: content.size, sha256: content.sha256,
            plaintextSha256: plaintextSha256, files: content.files, encrypted: settings.ageRecipient != nil,
            ageRecipient: settings.ageRecipient, tableCount: tables.count, tables: tables,
            verification: verification, lastCheck: nil)
        try manifest.write(to: manifestPath)
        try DurableFiles.commit(onDisk, to: final)
        committed = true
        return manifest
    }
}

/// Size and SHA-256 of a file or a directory-format dump, as recorded in the manifest.
struct StoredContent {
    var size: Int64
    var sha256: String
    var files: [BackupManifest.StoredFile]?

    init(_ path: String) throws {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            let digest = try FileDigest.sha256(ofDirectory: path)
            files = try digest.files.map {
                BackupManifest.StoredFile(name: $0.name, sizeBytes: try StoredContent.fileSize("\(path)/\($0.name)"), sha256: $0.sha256)
            }
            size = files!.reduce(0) { $0 + $1.sizeBytes }
            sha256 = digest.digest
        } else {
            size = try StoredContent.fileSize(path)
            sha256 = try FileDigest.sha256(ofFile: path)
            files = nil
        }
    }

    static func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
