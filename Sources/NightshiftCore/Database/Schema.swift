import Foundation

/// The migrations one module contributes: the numbered SQL files in its bundle's `Migrations/`,
/// for the tables it owns. Versions are numbered across the whole suite (a module takes the next
/// free number), so one migrator applies every module's files in one order.
public struct MigrationSource: Sendable {
    public let module: String
    /// Version, name and file of each migration, from the file names alone (read once: every job
    /// checks them before it starts).
    let files: [(version: Int, name: String, url: URL)]

    public init(module: String, bundle: Bundle) {
        self.module = module
        guard let directory = bundle.url(forResource: "Migrations", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            fatalError("the migrations of \(module) are missing from this install")
        }
        files = names.filter { $0.hasSuffix(".sql") }.compactMap { file in
            Int(file.prefix(while: \.isNumber)).map { ($0, String(file.dropLast(4)), directory.appendingPathComponent(file)) }
        }
    }

    /// The ledger's own tables (`batch_runs`, `batch_failures`).
    public static let core = MigrationSource(module: "NightshiftCore", bundle: .module)
}

/// The database schema of a program: the migrations of the modules it is built from.
public struct Schema: Sendable {
    public let sources: [MigrationSource]

    /// Two modules claiming one version is a programming error caught by every test run.
    public init(_ sources: [MigrationSource]) {
        self.sources = sources
        var seen: [Int: String] = [:]
        for source in sources {
            for file in source.files {
                if let other = seen.updateValue(source.module, forKey: file.version) {
                    fatalError("migration version \(file.version) is claimed by \(other) and \(source.module)")
                }
            }
        }
    }

    /// Version and name of every migration, in order.
    public var versions: [(version: Int, name: String)] {
        sources.flatMap { $0.files.map { ($0.version, $0.name) } }.sorted { $0.version < $1.version }
    }

    /// Every migration with its SQL, in order.
    public func migrations() -> [Migrator.Migration] {
        sources.flatMap { source in
            source.files.map { file in
                guard let sql = try? String(contentsOf: file.url, encoding: .utf8) else {
                    fatalError("cannot read the migration \(file.url.path)")
                }
                return Migrator.Migration(version: file.version, name: file.name, sql: sql)
            }
        }
    }
}
