import Foundation
import NightshiftCore

extension MigrationSource {
    /// `alert`, `alert_notice`, `alert_snooze`.
    public static let operations = MigrationSource(module: "Operations", bundle: .module)
}
