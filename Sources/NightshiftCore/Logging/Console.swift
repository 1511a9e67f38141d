import Foundation

/// What reaches the terminal. Under cron (no TTY) a successful run prints nothing; `--verbose`
/// shows progress anyway and `--quiet` silences even the failure summary.
public struct Console: Sendable {
    public enum Mode: Sendable { case quiet, normal, verbose }
    public let mode: Mode
    public let isTerminal: Bool

    public init(mode: Mode, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.mode = mode
        self.isTerminal = isTerminal
    }

    public var showsProgress: Bool { mode == .verbose || (mode == .normal && isTerminal) }

    func show(_ level: LogLevel, _ text: String) {
        guard showsProgress, level >= .info || mode == .verbose else { return }
        Console.writeStderr("\(level.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)) \(text)")
    }

    /// The short summary printed when a run did not succeed.
    public func failureSummary(_ text: String) {
        guard mode != .quiet else { return }
        Console.writeStderr(Secrets.shared.scrub(text))
    }

    public static func writeStderr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
