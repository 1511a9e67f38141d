import Foundation
import NightshiftCore

extension MigrationSource {
    /// `notification`, `notification_attempt`.
    public static let notifications = MigrationSource(module: "Notifications", bundle: .module)
}
