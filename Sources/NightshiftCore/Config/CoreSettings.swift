import Foundation

/// The settings every command shares. Job-specific keys are read by each job from `ConfigValues`.
public struct CoreSettings: Sendable {
    public enum Environment: String, Sendable { case development, production }

    public var databaseURL: String
    public var logLevel: LogLevel
    public var logDirectory: String
    public var logMaxBytes: Int
    public var logKeep: Int
    public var environment: Environment
    public var timeZone: TimeZone
    public var statusCollectionIntervalMinutes: Int
    public var historyCalculationIntervalMinutes: Int
    public var databaseRetry: RetryPolicy

    public static func load(from config: ConfigValues) throws -> CoreSettings {
        let databaseURL = try config.requiredString("database.url", secret: true)
        if !databaseURL.isEmpty, let problem = DatabaseURL.problem(with: databaseURL) {
            throw ConfigurationError(key: "database.url", source: config.source(of: "database.url"), expected: problem)
        }
        let environment = Environment(rawValue: try config.choice("batch.environment", default: "production",
                                                                  among: ["development", "production"]))!
        let levelDefault = environment == .development ? "debug" : "info"
        let level = LogLevel(rawValue: try config.choice("log.level", default: levelDefault,
                                                         among: LogLevel.allCases.map(\.rawValue)))!
        let zone = try config.parsed("timezone", default: TimeZone(identifier: "Asia/Tokyo")!,
                                     expected: "an IANA time zone name such as Asia/Tokyo") { TimeZone(identifier: $0) }
        let interval = try config.int("status_collection.interval", default: 30, range: 1...1440)
        guard 1440 % interval == 0 else {
            throw ConfigurationError(key: "status_collection.interval",
                                     source: config.source(of: "status_collection.interval"),
                                     expected: "minutes dividing a day evenly (5, 10, 15, 20, 30, 60 …), got \(interval)")
        }
        return CoreSettings(
            databaseURL: databaseURL,
            logLevel: level,
            logDirectory: try config.string("log.dir", default: "logs"),
            logMaxBytes: try config.int("log.max_bytes", default: 10 * 1024 * 1024, range: 4096...(1 << 40)),
            logKeep: try config.int("log.keep", default: 5, range: 1...100),
            environment: environment,
            timeZone: zone,
            statusCollectionIntervalMinutes: interval,
            historyCalculationIntervalMinutes: try config.int("history_calculation.interval", default: 360, range: 1...10080),
            databaseRetry: try RetryPolicy.load(from: config, prefix: "database.retry",
                                                defaults: RetryPolicy(backoff: .exponential, maxAttempts: 4,
                                                                      baseDelaySeconds: 0.5, maxDelaySeconds: 8, jitter: 0.2))
        )
    }
}
