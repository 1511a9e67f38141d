import Foundation
import Postgres

/// One line of `nightshift check`.
public struct CheckItem: Sendable {
    public let name: String
    public let ok: Bool
    public let detail: String

    public init(name: String, ok: Bool, detail: String) { (self.name, self.ok, self.detail) = (name, ok, detail) }
}

/// What a module adds to `nightshift check`, so the operator's tool needs no job module: items
/// read from the configuration alone, and items that read the module's tables (given a database
/// only when it is reachable and its schema current).
public struct ModuleCheck: Sendable {
    public let module: String
    public let items: @Sendable (_ config: ConfigValues, _ core: CoreSettings, _ db: Connection?) -> [CheckItem]

    public init(module: String, items: @escaping @Sendable (ConfigValues, CoreSettings, Connection?) -> [CheckItem]) {
        (self.module, self.items) = (module, items)
    }
}
