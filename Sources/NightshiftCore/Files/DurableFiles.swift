import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that survive a crash: written under a temporary name in the same directory, flushed to
/// disk, then renamed, and the directory flushed too (ARCHITECTURE.md, "Files").
public enum DurableFiles {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let code: Int32
        public init(path: String, operation: String, code: Int32) {
            self.path = path
            self.operation = operation
            self.code = code
        }
        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
        /// ENOSPC / EDQUOT: the disk is full.
        public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
    }

    static func check(_ result: Int32, _ operation: String, _ path: String) throws {
        if result != 0 { throw Failure(path: path, operation: operation, code: errno) }
    }

    /// Creates `path` (and parents) when missing and sets it to `mode`.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw Failure(path: path, operation: "create directory", code: errno == 0 ? EACCES : errno)
            }
        } else if !isDirectory.boolValue {
            throw Failure(path: path, operation: "use as a directory", code: ENOTDIR)
        }
        try check(chmod(path, mode), "chmod", path)
    }

    /// fsync of a file or directory.
    public static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        try check(fsync(fd), "fsync", path)
    }

    /// Syncs `from` (a file, or a directory and every file in it), renames it to `to` and syncs
    /// the parent directory, so the new name is never seen without its complete contents.
    public static func commit(_ from: String, to: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), isDirectory.boolValue {
            for name in try FileManager.default.contentsOfDirectory(atPath: from) { try sync("\(from)/\(name)") }
        }
        try sync(from)
        try check(rename(from, to), "rename", from)
        try sync(parent(of: to))
    }

    /// `commit` for many files of one directory at the price of one: one `syncfs` flushes all
    /// their contents, then each is renamed, then the directory is synced once.
    public static func commitAll(_ renames: [(from: String, to: String)], in directory: String) throws {
        guard !renames.isEmpty else { return }
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: directory, operation: "open", code: errno) }
        defer { close(fd) }
        try check(ns_syncfs(fd), "syncfs", directory)
        for rename in renames { try check(Glibc.rename(rename.from, rename.to), "rename", rename.from) }
        try check(fsync(fd), "fsync", directory)
    }

    /// Writes `data` to `path` atomically with `mode`.
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let temporary = "\(parent(of: path))/.\((path as NSString).lastPathComponent).\(getpid()).partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: temporary, operation: "create", code: errno) }
        var failure: Failure?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(path: temporary, operation: "write", code: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = Failure(path: temporary, operation: "fsync", code: errno) }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        do {
            try check(rename(temporary, path), "rename", temporary)
            try sync(parent(of: path))
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes a file or a directory tree; a missing path is fine.
    public static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil else { return }
        try FileManager.default.removeItem(atPath: path)
    }

    public static func parent(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
