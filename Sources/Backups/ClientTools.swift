import Foundation
import NightshiftCore

/// pg_dump and pg_restore, found where the config says, version-checked against the server.
public struct ClientTools: Sendable {
    public let pgDump: String
    public let pgRestore: String
    public let pgDumpVersion: String

    /// A failed child program, with the tail of what it said on stderr.
    public struct ToolFailure: Error, CustomStringConvertible {
        public let tool: String
        public let status: Int32
        public let stderr: String
        public var description: String {
            let said = stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
            let how = status > 128 ? "was killed by signal \(status - 128)" : "exited \(status)"
            return "\(tool) \(how)" + (said.isEmpty ? "" : ": \(Secrets.shared.scrub(said))")
        }
        public var isDiskFull: Bool { stderr.contains("No space left on device") }
    }

    /// Locates both tools; a missing one is a configuration error naming its key.
    public static func locate(_ settings: BackupSettings, needDump: Bool = true) throws -> ClientTools {
        func find(_ value: String, key: String) throws -> String {
            guard let path = ChildProcess.locate(value) else {
                throw ConfigurationError(key: key, source: value.contains("/") ? "path \(value)" : "PATH lookup of \(value)",
                                         expected: "an executable \(value) (install postgresql-client)")
            }
            return path
        }
        let restore = try find(settings.pgRestore, key: "backup.pg_restore")
        guard needDump else { return ClientTools(pgDump: "", pgRestore: restore, pgDumpVersion: "") }
        let dump = try find(settings.pgDump, key: "backup.pg_dump")
        let result = try ChildProcess.run(dump, ["--version"], stdout: .capture(limit: 4096))
        let version = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.succeeded, majorVersion(version) != nil else {
            throw ConfigurationError(key: "backup.pg_dump", source: dump, expected: "a working pg_dump (`--version` printed \"\(version)\")")
        }
        return ClientTools(pgDump: dump, pgRestore: restore, pgDumpVersion: version)
    }

    /// Refuses a pg_dump older than the server: it cannot dump what it does not know.
    public func checkCompatible(serverVersionNumber: Int, serverVersion: String) throws {
        guard let dumpMajor = ClientTools.majorVersion(pgDumpVersion) else { return }
        let serverMajor = serverVersionNumber / 10_000
        if dumpMajor < serverMajor {
            throw ConfigurationError(key: "backup.pg_dump", source: pgDump,
                                     expected: "pg_dump \(serverMajor) or newer for server \(serverVersion), found \"\(pgDumpVersion)\"")
        }
    }

    /// 15 from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
    static func majorVersion(_ text: String) -> Int? {
        guard let range = text.range(of: ") ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    public func dump(_ connection: ClientConnection, snapshot: String?, format: BackupName.Format, jobs: Int, to path: String) throws {
        var arguments = ["--dbname=\(connection.connectionString)", "--format=\(format == .directory ? "directory" : "custom")",
                         "--file=\(path)", "--no-password"]
        if format == .directory { arguments.append("--jobs=\(jobs)") }
        if let snapshot { arguments.append("--snapshot=\(snapshot)") }
        try check("pg_dump", try ChildProcess.run(pgDump, arguments, environment: connection.environment))
    }

    /// Only `tables` (exact names, no patterns), custom format: one table's archive.
    public func dump(_ connection: ClientConnection, tables: [String], to path: String) throws {
        var arguments = ["--dbname=\(connection.connectionString)", "--format=custom", "--file=\(path)", "--no-password"]
        for table in tables { arguments.append("--table=" + Self.exactPattern(table)) }
        try check("pg_dump", try ChildProcess.run(pgDump, arguments, environment: connection.environment))
    }

    /// A name as a pg_dump pattern matching only itself: quoted, so `_` and `.` are literal.
    static func exactPattern(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `pg_restore --list`: the archive's table of contents.
    public func list(_ path: String) throws -> String {
        let result = try ChildProcess.run(pgRestore, ["--list", path], stdout: .capture(limit: 256 << 20))
        try check("pg_restore --list", result)
        return String(decoding: result.stdout, as: UTF8.self)
    }

    public func restore(_ path: String, into connection: ClientConnection, jobs: Int, keepOwners: Bool) throws {
        var arguments = ["--dbname=\(connection.connectionString)", "--exit-on-error", "--no-password"]
        if jobs > 1 { arguments.append("--jobs=\(jobs)") }
        if !keepOwners { arguments += ["--no-owner", "--no-privileges"] }
        arguments.append(path)
        try check("pg_restore", try ChildProcess.run(pgRestore, arguments, environment: connection.environment))
    }

    func check(_ tool: String, _ result: ChildProcess.Result) throws {
        if !result.succeeded { throw ToolFailure(tool: tool, status: result.status, stderr: result.stderr) }
    }

    /// Tables a `pg_restore --list` output lacks ("TABLE <schema> <name> <owner>" entries).
    public static func missingTables(_ tables: [BackupManifest.Table], inListing listing: String) -> [String] {
        var listed = Set<String>()
        for line in listing.split(separator: "\n") where !line.hasPrefix(";") {
            guard let range = line.range(of: " TABLE ") else { continue }
            let rest = line[range.upperBound...]
            if rest.hasPrefix("DATA ") { continue }
            listed.insert(String(rest))
        }
        return tables.filter { table in !listed.contains { $0.hasPrefix("\(table.schema) \(table.name) ") } }
            .map(\.qualifiedName)
    }
}
