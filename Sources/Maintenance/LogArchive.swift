import Foundation
import NightshiftCore
#if canImport(Glibc)
import Glibc
#endif

/// The log directory kept small: rotated files (`batch_processing.log.3`, a past day's
/// `jobs_YYYYMMDD.log`) untouched for `log.archive_after_days` are moved into `archive/` — under
/// the lock rotation takes, so a file never moves while a job renames it — and gzip-compressed
/// there; archives older than `log.archive_keep_days` are deleted. The files jobs write to are
/// never touched.
struct LogArchive {
    static let compressStep = ItemStep<String>(name: "log_archive", failureMessage: "cannot archive a log file",
                                               keys: { ["log:\($0)"] }, label: { "log \($0)" })
    static let deleteStep = ItemStep<String>(name: "log_delete", failureMessage: "cannot delete an old log archive",
                                             keys: { ["log:\($0)"] }, label: { "log archive \($0)" })

    let directory: String
    let afterDays: Int
    let keepDays: Int
    /// Today's `jobs_YYYYMMDD.log`, still being written.
    let todaysJobsFile: String
    let now: Date
    let context: JobContext

    var archiveDirectory: String { directory + "/archive" }

    /// Rotated files untouched for `afterDays`.
    func due() -> [String] {
        let cutoff = now.addingTimeInterval(-Double(afterDays) * 86_400)
        return files(in: directory).filter { name in
            guard isRotated(name), let modified = modified("\(directory)/\(name)") else { return false }
            return modified < cutoff
        }.sorted()
    }

    /// Archives older than `keepDays`.
    func expired() -> [String] {
        let cutoff = now.addingTimeInterval(-Double(keepDays) * 86_400)
        return files(in: archiveDirectory).filter { name in
            guard name.hasSuffix(".gz"), let modified = modified("\(archiveDirectory)/\(name)") else { return false }
            return modified < cutoff
        }.sorted()
    }

    /// A numbered backup of a log, or a past day's jobs file — never a file being written.
    func isRotated(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        if let dot = name.range(of: ".log.", options: .backwards), Int(name[dot.upperBound...]) != nil { return true }
        return name.hasPrefix("jobs_") && name.hasSuffix(".log") && name != todaysJobsFile
    }

    /// Files a stopped run moved into the archive but did not compress.
    func uncompressed() -> [String] {
        files(in: archiveDirectory).filter { !$0.hasSuffix(".gz") && !$0.hasPrefix(".") }.sorted().map { "archive/\($0)" }
    }

    func run(into summary: inout JobSummary) throws {
        let due = uncompressed() + due(), expired = expired()
        guard !context.isDryRun else {
            for name in due { context.report("would archive the log \(directory)/\(name)") }
            for name in expired { context.report("would delete the log archive \(archiveDirectory)/\(name)") }
            return
        }
        try context.run(Self.compressStep, due, into: &summary) { name in try archive(name) }
        try context.run(Self.deleteStep, expired, into: &summary) { name in try DurableFiles.remove("\(archiveDirectory)/\(name)") }
    }

    private func archive(_ name: String) throws {
        if name.hasPrefix("archive/") { return try compress("\(directory)/\(name)") }
        try DurableFiles.makeDirectory(archiveDirectory, mode: 0o750)
        // The live file whose rotation renames this one: `batch_processing.log` for `….log.3`.
        let live = name.range(of: ".log.", options: .backwards).map { "\(directory)/\(name[..<$0.lowerBound]).log" }
            ?? "\(directory)/\(name)"
        let moved = "\(archiveDirectory)/\(name).\(Int(modified("\(directory)/\(name)")?.timeIntervalSince1970 ?? 0))"
        try LogFile.withRotationLock(of: live) {
            guard rename("\(directory)/\(name)", moved) == 0 else {
                throw DurableFiles.Failure(path: "\(directory)/\(name)", operation: "move into the archive", code: errno)
            }
        }
        try compress(moved)
    }

    /// gzip keeps the file's time and removes it only once the .gz is complete (`-f` overwrites
    /// what a stopped run left half-written).
    private func compress(_ path: String) throws {
        let result = try ChildProcess.run("/bin/gzip", ["-f", "-q", path])
        guard result.succeeded else { throw LogArchiveFailure("gzip \(path) exited \(result.status): \(result.stderr)") }
    }

    private func files(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    private func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

struct LogArchiveFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
