import Foundation
import NightshiftCore

extension MigrationSource {
    /// `engineer.placement`, `project_assignment`, `engineer_status_change`.
    public static let engineerStatus = MigrationSource(module: "EngineerStatus", bundle: .module)
}
