import Foundation
import NightshiftCore
import Postgres

/// `nightshift check`: what an operator verifies after an install or a change — the core's items
/// (config, log directory, database, schema), then each module's.
public struct HealthCheck {
    public typealias Item = CheckItem

    public static func run(session: CommandSession, schema: Schema, modules: [ModuleCheck]) -> [Item] {
        var items = [Item(name: "config", ok: true, detail: session.config.filePath ?? "environment only")]
        let unknown = session.config.unknownFileKeys
        items.append(Item(name: "config keys", ok: unknown.isEmpty, detail: unknown.isEmpty ? "all known" : unknown.map {
            "\($0.key) is not a setting" + ($0.suggestion.map { " (did you mean \($0)?)" } ?? "")
        }.joined(separator: "; ")))
        let files = LogFiles(settings: session.settings, console: Console(mode: .quiet))
        let logger = files.logger(job: "nightshift")
        do {
            try files.checkWritable()
            // The log file itself must take lines; opened for append, nothing written (a line
            // here would be a debug line in a log kept at info).
            let path = session.settings.logDirectory + "/" + LogFiles.allFileName
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
            guard fd >= 0 else { throw LogFileError(path: path, errno: errno) }
            close(fd)
            logger.debug("check: log directory writable")
            items.append(Item(name: "log directory", ok: true, detail: session.settings.logDirectory))
        } catch {
            items.append(Item(name: "log directory", ok: false, detail: "\(error)"))
        }

        let db = database(session, schema: schema, into: &items)
        defer { db?.close() }
        for module in modules { items += module.items(session.config, session.settings, db) }
        return items
    }

    /// The database's items; the connection when it is reachable and its schema current.
    private static func database(_ session: CommandSession, schema: Schema, into items: inout [Item]) -> Connection? {
        let db: Connection
        do {
            db = try Connection(url: session.settings.databaseURL, applicationName: "nightshift-check")
            let version = try db.query("SHOW server_version").first!.string("server_version")
            items.append(Item(name: "database", ok: true, detail: "reachable, PostgreSQL \(version)"))
        } catch {
            items.append(Item(name: "database", ok: false, detail: Secrets.shared.scrub("\(error)")))
            return nil
        }
        do {
            let pending = try Migrator.pendingNames(db, schema: schema)
            items.append(Item(name: "schema", ok: pending.isEmpty,
                              detail: pending.isEmpty ? "current" : "pending: \(pending.joined(separator: ", ")) — run nightshift migrate"))
            if pending.isEmpty { return db }
        } catch {
            items.append(Item(name: "schema", ok: false, detail: "\(error)"))
        }
        db.close()
        return nil
    }
}
