import Foundation
import NightshiftCore

extension MigrationSource {
    /// `approach`, `approach_exclusion`, `approach_delivery`, the engineers' email, skills and years.
    public static let approachDelivery = MigrationSource(module: "ApproachDelivery", bundle: .module)
}
