import Foundation
import NightshiftCore

extension MigrationSource {
    /// `status_history`, `business_daily`.
    public static let workingRates = MigrationSource(module: "WorkingRates", bundle: .module)
}
