import NightshiftCore

/// `rate_calc.*` settings (env `RATE_CALC_*`).
public struct RateCalcSettings: Sendable {
    /// A business day is ready this long after its window closes.
    public var readyBufferMinutes: Int
    /// How far back catch-up looks for days not yet computed.
    public var lookbackDays: Int
    public var slotMinutes: Int

    public static func load(_ config: ConfigValues, core: CoreSettings) throws -> RateCalcSettings {
        RateCalcSettings(
            readyBufferMinutes: try config.int("rate_calc.ready_buffer_minutes", default: 60, range: 0...1440),
            lookbackDays: try config.int("rate_calc.lookback_days", default: 35, range: 1...3650),
            slotMinutes: core.statusCollectionIntervalMinutes)
    }
}
