import Foundation
import NightshiftCore

/// `usage_aggregate.*` settings (env `USAGE_AGGREGATE_*`).
public struct UsageSettings: Sendable {
    /// How far back catch-up looks for days not yet computed.
    public var lookbackDays: Int
    /// Days are local dates in this zone (`timezone`).
    public var timeZone: TimeZone

    public static func load(_ config: ConfigValues, core: CoreSettings) throws -> UsageSettings {
        UsageSettings(lookbackDays: try config.int("usage_aggregate.lookback_days", default: 35, range: 1...3650),
                      timeZone: core.timeZone)
    }
}
