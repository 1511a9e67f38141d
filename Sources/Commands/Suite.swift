import ApproachDelivery
import EngineerStatus
import Invoicing
import Maintenance
import Mail
import MonthlyReports
import NightshiftCore
import Notifications
import Operations
import StatusCollection
import WorkingRates

extension Schema {
    /// Every table of the suite, from the modules that own them; `nightshift migrate` applies
    /// it and every job checks it is current before it starts.
    public static let suite = Schema([.core, .statusCollection, .workingRates, .mail, .billing, .monthlyReports, .maintenance, .operations, .notifications, .engineerStatus, .approachDelivery])
}

extension ModuleCheck {
    /// What `nightshift check` asks of the modules after the core's own items.
    public static let suite: [ModuleCheck] = [.statusCollection]
}
