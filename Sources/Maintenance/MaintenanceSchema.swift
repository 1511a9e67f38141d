import Foundation
import NightshiftCore

extension MigrationSource {
    /// `partition_archive`.
    public static let maintenance = MigrationSource(module: "Maintenance", bundle: .module)
}
