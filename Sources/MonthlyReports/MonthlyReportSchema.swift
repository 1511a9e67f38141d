import Foundation
import NightshiftCore

extension MigrationSource {
    /// `report`, and `business.report_email`.
    public static let monthlyReports = MigrationSource(module: "MonthlyReports", bundle: .module)
}
