import ArgumentParser
import NightshiftCore
import Backups

public struct BackupCommand: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Verified pg_dump backups of DATABASE_URL's database, with a manifest, retention and restore.",
        discussion: "Exit codes: 0 succeeded or skipped, 1 partial (a copy or deletion failed), 2 failed, 64 usage, 75 database unreachable, 78 configuration.",
        subcommands: [BackupRun.self, BackupList.self, BackupVerify.self, BackupRestore.self], defaultSubcommand: BackupRun.self)
}

public struct BackupRun: JobCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Make a backup, verify it, then apply retention (the default).")

    @OptionGroup public var common: RunOptions
    @OptionGroup public var clock: NowOption
    @OptionGroup public var rehearsal: DryRunOption
    public var isRehearsal: Bool { rehearsal.dryRun }
    @Option(help: ArgumentHelp("Parallel pg_dump workers; above 1 makes a directory-format dump.", valueName: "n"))
    public var jobs: Int?
    @Flag(name: .customLong("verify-restore"), help: "Also restore into a scratch database and compare row counts.")
    public var verifyRestore = false

    public var fixedNow: String? { clock.now }

    public func validate() throws {
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be 1 to 64") }
    }

    public typealias Work = BackupJob

    public var jobOptions: BackupJob.Options {
        var options = BackupJob.Options()
        options.jobs = jobs
        options.verifyRestore = verifyRestore
        return options
    }
}

public struct BackupList: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List backups: time, size, age, verification, encryption.")
    @OptionGroup public var run: RunOptions
    @Flag(help: "JSON output.") public var json = false

    public func run() async throws {
        throw ExitCode(await BackupCommands.list(run.settings(), json: json).rawValue)
    }
}

public struct BackupVerify: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "verify", 
        abstract: "Check backups against their manifests (all of them, one FILE, or --latest); exit 2 if one is broken.")
    @OptionGroup public var run: RunOptions
    @Argument(help: ArgumentHelp("A backup file (path or name in the backup directory).", valueName: "file")) public var file: String?
    @Flag(help: "Only the newest backup.") public var latest = false
    @Flag(help: "Also restore into a scratch database.") public var restore = false
    @Option(help: ArgumentHelp("age identity file, to check the contents of encrypted backups.", valueName: "file"))
    public var identity: String?

    public func validate() throws {
        if file != nil && latest { throw ValidationError("give a FILE or --latest, not both") }
    }

    public func run() async throws {
        throw ExitCode(await BackupCommands.verify(run.settings(), file: file, latest: latest, restore: restore, identity: identity).rawValue)
    }
}

public struct BackupRestore: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into a database (created when missing).")
    @OptionGroup public var run: RunOptions
    @Argument(help: ArgumentHelp("The backup file (path or name in the backup directory).", valueName: "file")) public var file: String
    @Option(help: ArgumentHelp("The database to restore into.", valueName: "dbname")) public var into: String
    @Flag(help: "Restore over an existing non-empty database: it is dropped (its sessions ended) and made anew.") public var force = false
    @Option(help: ArgumentHelp("age identity file for an encrypted backup.", valueName: "file")) public var identity: String?
    @Option(help: ArgumentHelp("Parallel pg_restore workers.", valueName: "n")) public var jobs = 1
    @Flag(name: .customLong("no-owner"), help: "Do not restore ownership and privileges.") public var noOwner = false

    public func run() async throws {
        var options = BackupRestorer.Options(into: into)
        options.force = force
        options.identity = identity
        options.jobs = jobs
        options.keepOwners = !noOwner
        throw ExitCode(await BackupCommands.restore(run.settings(), file: file, restoreOptions: options).rawValue)
    }
}
