import ArgumentParser
import Backups
import Foundation
import NightshiftCore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Verified pg_dump backups of DATABASE_URL's database, with a manifest, retention and restore.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (a copy or deletion failed), 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [Make.self, List.self, Verify.self, Restore.self], defaultSubcommand: Make.self)
}

struct Make: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Make a backup, verify it, then apply retention (the default).")

    @OptionGroup var run: RunOptions
    @Option(help: ArgumentHelp("Parallel pg_dump workers; above 1 makes a directory-format dump.", valueName: "n"))
    var jobs: Int?
    @Flag(name: .customLong("verify-restore"), help: "Also restore into a scratch database and compare row counts.")
    var verifyRestore = false
    @Flag(name: .customLong("dry-run"), help: "Print what would be made and deleted; change nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Act as if at this time (ISO 8601): names the backup and ages the old ones.", valueName: "timestamp"))
    var now: String?

    func validate() throws {
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be 1 to 64") }
    }

    func run() async throws {
        var options = BackupJob.Options()
        options.jobs = jobs
        options.verifyRestore = verifyRestore
        options.dryRun = dryRun
        options.now = now
        let code = await JobRunner().run(BackupJob(options: options), options: run,
                                         arguments: Array(CommandLine.arguments.dropFirst()))
        throw ExitCode(code.rawValue)
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List backups: time, size, age, verification, encryption.")
    @OptionGroup var run: RunOptions
    @Flag(help: "JSON output.") var json = false

    func run() async throws {
        throw ExitCode(await BackupCommands.list(run, json: json).rawValue)
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check backups against their manifests (all of them, one FILE, or --latest); exit 2 if one is broken.")
    @OptionGroup var run: RunOptions
    @Argument(help: ArgumentHelp("A backup file (path or name in the backup directory).", valueName: "file")) var file: String?
    @Flag(help: "Only the newest backup.") var latest = false
    @Flag(help: "Also restore into a scratch database.") var restore = false
    @Option(help: ArgumentHelp("age identity file, to check the contents of encrypted backups.", valueName: "file"))
    var identity: String?

    func validate() throws {
        if file != nil && latest { throw ValidationError("give a FILE or --latest, not both") }
    }

    func run() async throws {
        throw ExitCode(await BackupCommands.verify(run, file: file, latest: latest, restore: restore, identity: identity).rawValue)
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore a backup into a database (created when missing).")
    @OptionGroup var run: RunOptions
    @Argument(help: ArgumentHelp("The backup file (path or name in the backup directory).", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("The database to restore into.", valueName: "dbname")) var into: String
    @Flag(help: "Restore over an existing non-empty database (pg_restore --clean).") var force = false
    @Option(help: ArgumentHelp("age identity file for an encrypted backup.", valueName: "file")) var identity: String?
    @Option(help: ArgumentHelp("Parallel pg_restore workers.", valueName: "n")) var jobs = 1
    @Flag(name: .customLong("no-owner"), help: "Do not restore ownership and privileges.") var noOwner = false

    func run() async throws {
        var options = BackupRestorer.Options(into: into)
        options.force = force
        options.identity = identity
        options.jobs = jobs
        options.keepOwners = !noOwner
        throw ExitCode(await BackupCommands.restore(run, file: file, restoreOptions: options).rawValue)
    }
}

await runAsyncCommand(Backup.self)
