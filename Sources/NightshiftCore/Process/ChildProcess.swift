import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child program (pg_dump, pg_restore, age) run to completion: an argv array, never a shell;
/// secrets only through its environment; it dies with us. stdout is captured or discarded, stderr
/// is captured (bounded) for error messages.
public struct ChildProcess {
    public struct Result: Sendable {
        /// The exit code, or 128 + signal when the child was killed.
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        public var succeeded: Bool { status == 0 }
    }

    public enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case cannotStart(String, String)

        public var description: String {
            switch self {
            case .notFound(let name): return "\(name): no such executable"
            case .cannotStart(let path, let reason): return "cannot start \(path): \(reason)"
            }
        }
    }

    public enum Output {
        case discard
        case capture(limit: Int)
    }

    /// The path of `name`: as given when it holds a slash, else the first match on PATH.
    public static func locate(_ name: String, searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` (a path or a name looked up on PATH) with `arguments`. `environment`
    /// entries are added to (or override) ours.
    public static func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
                           stdout output: Output = .discard, stderrLimit: Int = 64 * 1024) throws -> Result {
        guard let path = locate(executable) else { throw Failure.notFound(executable) }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }

        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw Failure.cannotStart(path, String(cString: strerror(errno))) }
        defer { close(devNull) }
        let errPipe = try pipe()
        var outPipe: (read: Int32, write: Int32)?
        if case .capture = output { outPipe = try pipe() }

        let pid = withCStrings([path] + arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                ns_spawn(path, argv, envp, devNull, outPipe?.write ?? devNull, errPipe.write)
            }
        }
        close(errPipe.write)
        if let outPipe { close(outPipe.write) }
        guard pid > 0 else {
            close(errPipe.read)
            if let outPipe { close(outPipe.read) }
            throw Failure.cannotStart(path, String(cString: strerror(-pid)))
        }

        var stdoutLimit = 0
        if case .capture(let limit) = output { stdoutLimit = limit }
        // A stop signal ends the child (its guard kills the whole group), then the run.
        let (out, err) = drain(stdout: outPipe?.read, stdoutLimit: stdoutLimit, stderr: errPipe.read, stderrLimit: stderrLimit,
                               onStop: { kill(pid, SIGTERM) })
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try StopRequest.check()
        return Result(status: ns_wait_status_code(status), stdout: out,
                      stderr: String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard ns_pipe_cloexec(&fds) == 0 else {
            throw Failure.cannotStart("pipe", String(cString: strerror(errno)))
        }
        return (fds[0], fds[1])
    }

    /// Reads both pipes until both close; bytes beyond a limit are read and dropped. Looks for a
    /// stop signal every quarter second (it may be delivered to another thread) and calls `onStop` once.
    private static func drain(stdout: Int32?, stdoutLimit: Int, stderr: Int32, stderrLimit: Int,
                              onStop: () -> Void) -> (Data, Data) {
        var out = Data(), err = Data()
        var open: [Int32] = [stderr] + (stdout.map { [$0] } ?? [])
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var stopped = false
        while !open.isEmpty {
            if !stopped, StopRequest.signal != nil {
                stopped = true
                onStop()
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), 250) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                    continue
                }
                if entry.fd == stderr {
                    if err.count < stderrLimit { err.append(contentsOf: buffer[0..<min(count, stderrLimit - err.count)]) }
                } else if out.count < stdoutLimit {
                    out.append(contentsOf: buffer[0..<min(count, stdoutLimit - out.count)])
                }
            }
        }
        return (out, err)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
