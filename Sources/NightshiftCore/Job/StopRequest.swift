import CSpawn
import Foundation

/// SIGTERM (systemd, Kubernetes, `kill`) and SIGINT (Ctrl-C) ask a job to stop: it takes no new
/// unit of work, lets the current one commit (or a child process end), records the run as
/// `interrupted` with its counts, releases its lock and exits 128 + the signal (143 / 130).
/// A second signal ends the process at once.
public enum StopRequest {
    /// From here on the signals are caught rather than ending the process.
    public static func catchSignals() { ns_catch_stop_signals() }

    /// The signal received, if any.
    public static var signal: Int32? {
        let number = ns_stop_signal()
        return number == 0 ? nil : number
    }

    /// Throws `Interrupted` once a stop was asked for: called before every unit of work.
    public static func check() throws {
        if let signal { throw Interrupted(signal: signal) }
    }
}

/// The run stopped on a signal before its work was done; the next run does the rest.
public struct Interrupted: Error, CustomStringConvertible {
    public let signal: Int32
    public var signalName: String { signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)" }
    public var description: String { "interrupted by \(signalName)" }
    public var exitStatus: ExitStatus { signal == SIGINT ? .interrupted : .terminated }
}
