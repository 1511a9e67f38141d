import Foundation
import NightshiftCore

extension MigrationSource {
    /// The service's companies, users and contracts, `usage_log` (written by usage-aggregate),
    /// `invoice`, `invoice_line`. One migration created them all before modules owned their
    /// tables; an applied migration never changes, so it stays here whole.
    public static let billing = MigrationSource(module: "Invoicing", bundle: .module)
}
