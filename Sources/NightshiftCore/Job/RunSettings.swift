/// How a run was asked for, independent of any argument parser: the config file, what reaches
/// the terminal, and `--now` (a fixed clock for the whole run, read in the configured zone).
public struct RunSettings: Sendable {
    public var configPath: String?
    public var consoleMode: Console.Mode
    public var now: String?

    public init(configPath: String? = nil, consoleMode: Console.Mode = .normal, now: String? = nil) {
        self.configPath = configPath
        self.consoleMode = consoleMode
        self.now = now
    }
}
