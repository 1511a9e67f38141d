/// The suite's exit codes, the same for every command (see README).
public enum ExitStatus: Int32, Sendable {
    case succeeded = 0     // also: skipped because another run holds the lock
    case partial = 1       // some items failed, the rest were done
    case failed = 2
    case usage = 64
    case temporaryFailure = 75  // e.g. database unreachable after retries
    case configuration = 78
    case interrupted = 130      // SIGINT (Ctrl-C): stopped between units of work, recorded `interrupted`
    case terminated = 143       // SIGTERM (systemd, Kubernetes): the same
}
