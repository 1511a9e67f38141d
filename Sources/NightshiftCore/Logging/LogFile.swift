import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An append-only log file shared by several processes. Each line is written with one `write`
/// while holding an exclusive `flock` on a companion lock file, so lines never tear or
/// interleave and rotation (size cap, numbered backups) happens exactly once.
public final class LogFile: @unchecked Sendable {
    public let path: String
    let maxBytes: Int
    let keep: Int
    private let lockPath: String
    private let mutex = NSLock()

    public init(path: String, maxBytes: Int = 10 * 1024 * 1024, keep: Int = 5) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        let url = URL(fileURLWithPath: path)
        lockPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".lock").path
    }

    /// Appends `line` plus a newline. Throws when the directory is not writable.
    public func append(_ line: String) throws {
        mutex.lock(); defer { mutex.unlock() }
        let lockFD = open(lockPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard lockFD >= 0 else { throw LogFileError(path: lockPath, errno: errno) }
        defer { close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(lockFD, LOCK_UN) }

        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) + bytes.count > maxBytes, info.st_size > 0 { rotate() }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LogFileError(path: path, errno: errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw LogFileError(path: path, errno: errno)
            }
            offset += written
        }
    }

    /// Runs `body` holding the lock writers and rotation hold, so that the numbered backups do
    /// not move under it (maintenance moving one into the archive).
    public static func withRotationLock<T>(of path: String, _ body: () throws -> T) throws -> T {
        let url = URL(fileURLWithPath: path)
        let lockPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".lock").path
        let lockFD = open(lockPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard lockFD >= 0 else { throw LogFileError(path: lockPath, errno: errno) }
        defer { close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(lockFD, LOCK_UN) }
        return try body()
    }

    /// file → file.1 → … → file.<keep>; the oldest is dropped.
    private func rotate() {
        unlink("\(path).\(keep)")
        for index in stride(from: keep - 1, through: 1, by: -1) {
            rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        rename(path, "\(path).1")
    }
}

public struct LogFileError: Error, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }
    public var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
}
