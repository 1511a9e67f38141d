import Backups
import Foundation
import NightshiftCore

/// What killed runs leave behind: `.partial` files older than a day under the output, backup and
/// archive directories (a running job's are minutes old), and scratch databases of backup
/// verifications started more than a day ago (`nightshift_verify_<pid>_<epoch>`).
struct Orphans {
    static let fileStep = ItemStep<String>(name: "orphan_file", failureMessage: "cannot delete a leftover partial file",
                                           keys: { ["orphan:\($0)"] }, label: { "leftover \($0)" })
    static let databaseStep = ItemStep<String>(name: "orphan_database", failureMessage: "cannot drop a leftover scratch database",
                                               keys: { ["orphan:\($0)"] }, label: { "scratch database \($0)" })

    let directories: [String]
    let now: Date
    let context: JobContext

    var cutoff: Date { now.addingTimeInterval(-86_400) }

    func partialFiles() -> [String] {
        var found: [String] = []
        for directory in directories {
            guard let walker = FileManager.default.enumerator(atPath: directory) else { continue }
            while let relative = walker.nextObject() as? String {
                guard relative.hasSuffix(".partial") else { continue }
                let path = "\(directory)/\(relative)"
                if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                    found.append(path)
                }
            }
        }
        return found.sorted()
    }

    func scratchDatabases() throws -> [String] {
        try context.db.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", [ScratchRestore.prefix])
            .rows.map { try $0.string("datname") }.filter { name in
                guard let epoch = name.split(separator: "_").last.flatMap({ Double($0) }) else { return false }
                return Date(timeIntervalSince1970: epoch) < cutoff
            }
    }

    func run(into summary: inout JobSummary) throws {
        let files = partialFiles(), databases = try scratchDatabases()
        guard !context.isDryRun else {
            for path in files { context.report("would delete the leftover \(path)") }
            for name in databases { context.report("would drop the leftover scratch database \(name)") }
            return
        }
        try context.run(Self.fileStep, files, into: &summary) { try DurableFiles.remove($0) }
        try context.run(Self.databaseStep, databases, into: &summary) { name in
            let quoted = try context.db.query("SELECT quote_ident($1) AS q", [name]).first!.string("q")
            try context.db.execute(script: "DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
        }
    }
}
