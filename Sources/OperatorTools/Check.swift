import Foundation
import NightshiftCore
import Postgres
import StatusCollection

/// `nightshift check`: what an operator verifies after an install or a change.
public struct HealthCheck {
    public struct Item {
        public let name: String
        public let ok: Bool
        public let detail: String
    }

    public static func run(session: CommandSession) -> [Item] {
        var items = [Item(name: "config", ok: true, detail: session.config.filePath ?? "environment only")]
        let unknown = session.config.unknownFileKeys
        items.append(Item(name: "config keys", ok: unknown.isEmpty, detail: unknown.isEmpty ? "all known" : unknown.map {
            "\($0.key) is not a setting" + ($0.suggestion.map { " (did you mean \($0)?)" } ?? "")
        }.joined(separator: "; ")))
        let logger = Logger(job: "nightshift", settings: session.settings, console: Console(mode: .quiet))
        do {
            try logger.checkWritable()
            // The log file itself must take lines; opened for append, nothing written (a line
            // here would be a debug line in a log kept at info).
            let path = session.settings.logDirectory + "/" + Logger.allFileName
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
            guard fd >= 0 else { throw LogFileError(path: path, errno: errno) }
            close(fd)
            logger.debug("check: log directory writable")
            items.append(Item(name: "log directory", ok: true, detail: session.settings.logDirectory))
        } catch {
            items.append(Item(name: "log directory", ok: false, detail: "\(error)"))
        }

        var sites: SiteRegistry?
        do {
            let settings = try StatusCollectionSettings.load(session.config, core: session.settings)
            sites = try SiteRegistry(directory: settings.sitesDirectory)
            let names = sites!.sites.keys.sorted().map { "\($0) (\(sites!.origins[$0]!))" }
            items.append(Item(name: "site definitions", ok: true, detail: names.joined(separator: ", ")))
        } catch {
            items.append(Item(name: "site definitions", ok: false, detail: "\(error)"))
        }

        let db: Connection
        do {
            db = try Connection(url: session.settings.databaseURL, applicationName: "nightshift-check")
            let version = try db.query("SHOW server_version").first!.string("server_version")
            items.append(Item(name: "database", ok: true, detail: "reachable, PostgreSQL \(version)"))
        } catch {
            items.append(Item(name: "database", ok: false, detail: Secrets.shared.scrub("\(error)")))
            return items
        }
        defer { db.close() }
        do {
            let pending = try Migrator().pending(db)
            items.append(Item(name: "schema", ok: pending.isEmpty,
                              detail: pending.isEmpty ? "current" : "pending: \(pending.joined(separator: ", ")) — run nightshift migrate"))
            if pending.isEmpty, let sites {
                let rows = try db.query("SELECT id, site, listing_url FROM business WHERE active ORDER BY id").rows
                var problems = [String]()
                for row in rows {
                    let id = try row.int("id"), site = try row.string("site"), url = try row.string("listing_url")
                    guard let compiled = sites[site] else { problems.append("business \(id): unknown site \(site)"); continue }
                    if !compiled.accepts(listingURL: url) { problems.append("business \(id): URL does not fit site \(site)") }
                }
                items.append(Item(name: "businesses", ok: problems.isEmpty,
                                  detail: problems.isEmpty ? "\(rows.count) active, all with a known site" : problems.joined(separator: "; ")))
            }
        } catch {
            items.append(Item(name: "schema", ok: false, detail: "\(error)"))
        }
        return items
    }
}
