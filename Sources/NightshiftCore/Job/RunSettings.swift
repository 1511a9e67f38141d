/// How a run was asked for, independent of any argument parser: the config file, what reaches
/// the terminal, `--now` (a fixed clock for the whole run, read in the configured zone),
/// `--dry-run` (a rehearsal: no lock, no ledger row, nothing kept), and where the report goes.
public struct RunSettings: Sendable {
    public var configPath: String?
    public var consoleMode: Console.Mode
    public var now: String?
    public var dryRun: Bool
    public var output: ReportOutput

    public init(configPath: String? = nil, consoleMode: Console.Mode = .normal, now: String? = nil, dryRun: Bool = false,
                output: ReportOutput) {
        self.configPath = configPath
        self.consoleMode = consoleMode
        self.now = now
        self.dryRun = dryRun
        self.output = output
    }
}

/// Where a job's report lines go — a dry run's table of what it would do, a listing: the command
/// layer's standard output, or a test's buffer. Domain modules write lines here and never print;
/// a line at a time, so a report as long as the data keeps memory flat.
public struct ReportOutput: Sendable {
    public let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }
}
