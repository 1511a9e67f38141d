import Foundation
import Backups
import NightshiftCore

/// The subcommands outside the ledger: `list`, `verify`, `restore`. They need the config but
/// `list` and `verify` (without --restore) work with the database down.
public enum BackupCommands {
    static func open(_ options: RunSettings) async throws -> (CommandSession, BackupSettings) {
        let session = try await CommandSession.open(configPath: options.configPath, name: "backup")
        return (session, try BackupSettings.load(session.config))
    }

    public static func list(_ options: RunSettings, json: Bool) async -> ExitStatus {
        await CommandSession.exitStatus(name: "backup list") {
            let (session, settings) = try await open(options)
            print(BackupListing.render(try BackupCatalog.scan(settings.directory), now: Date(), json: json,
                                       zone: session.settings.timeZone), terminator: "")
        }
    }

    /// Exit 0 when every backup checked is sound, 2 when one is not.
    public static func verify(_ options: RunSettings, file: String?, latest: Bool, restore: Bool, identity: String?) async -> ExitStatus {
        var broken = 0
        let status = await CommandSession.exitStatus(name: "backup verify") {
            let (session, settings) = try await open(options)
            let catalog = try BackupCatalog.scan(settings.directory)
            var targets = catalog.entries
            if let file {
                guard let entry = catalog.find(file) else { throw UsageError("no backup \(file) in \(settings.directory)") }
                targets = [entry]
            } else if latest {
                targets = Array(catalog.entries.prefix(1))
            }
            if targets.isEmpty { throw BackupFailure("no backups in \(settings.directory)") }
            let verifier = BackupVerifier(settings: settings, core: session.settings, identity: identity)
            let console = Console(mode: options.consoleMode)
            for entry in targets {
                let report = verifier.verify(entry, restore: restore)
                if report.passed {
                    if console.showsProgress { Console.writeStderr("ok      \(entry.name.fileName): \(report.detail)") }
                } else {
                    broken += 1
                    Console.writeStderr("BROKEN  \(entry.name.fileName): \(report.detail)")
                }
            }
        }
        return status == .succeeded && broken > 0 ? .failed : status
    }

    public static func restore(_ options: RunSettings, file: String, restoreOptions: BackupRestorer.Options) async -> ExitStatus {
        await CommandSession.exitStatus(name: "backup restore") {
            let (session, settings) = try await open(options)
            let catalog = try BackupCatalog.scan(settings.directory)
            guard let entry = catalog.find(file) else { throw UsageError("no backup \(file) (give a path or a name in \(settings.directory))") }
            let line = try BackupRestorer(settings: settings, core: session.settings).restore(entry, options: restoreOptions)
            if Console(mode: options.consoleMode).showsProgress { Console.writeStderr(line) }
        }
    }
}
