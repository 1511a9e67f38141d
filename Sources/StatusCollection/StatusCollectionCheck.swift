import Foundation
import NightshiftCore
import Postgres

extension ModuleCheck {
    /// The site definitions load, and every active business names a known site its URL fits.
    public static let statusCollection = ModuleCheck(module: "StatusCollection") { config, core, db in
        let sites: SiteRegistry
        do {
            let settings = try StatusCollectionSettings.load(config, core: core)
            sites = try SiteRegistry(directory: settings.sitesDirectory)
        } catch {
            return [CheckItem(name: "site definitions", ok: false, detail: "\(error)")]
        }
        let names = sites.sites.keys.sorted().map { "\($0) (\(sites.origins[$0]!))" }
        var items = [CheckItem(name: "site definitions", ok: true, detail: names.joined(separator: ", "))]
        guard let db else { return items }
        do {
            let rows = try db.query("SELECT id, site, listing_url FROM business WHERE active ORDER BY id").rows
            var problems = [String]()
            for row in rows {
                let id = try row.int("id"), site = try row.string("site"), url = try row.string("listing_url")
                guard let compiled = sites[site] else { problems.append("business \(id): unknown site \(site)"); continue }
                if !compiled.accepts(listingURL: url) { problems.append("business \(id): URL does not fit site \(site)") }
            }
            items.append(CheckItem(name: "businesses", ok: problems.isEmpty,
                                   detail: problems.isEmpty ? "\(rows.count) active, all with a known site" : problems.joined(separator: "; ")))
        } catch {
            items.append(CheckItem(name: "businesses", ok: false, detail: "\(error)"))
        }
        return items
    }
}
