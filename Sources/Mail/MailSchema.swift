import Foundation
import NightshiftCore

extension MigrationSource {
    /// `mail_outbox`.
    public static let mail = MigrationSource(module: "Mail", bundle: .module)
}
