import Foundation
import NightshiftCore

extension MigrationSource {
    /// `business`, `cast`, `status_collection`, `status`.
    public static let statusCollection = MigrationSource(module: "StatusCollection", bundle: .module)
}
