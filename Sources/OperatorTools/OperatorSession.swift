import Foundation
import NightshiftCore
import Postgres

/// Config and connection for the operator's commands, with the suite's exit codes:
/// 78 for bad config, 75 when the database stays unreachable.
public struct OperatorSession {
    public let config: ConfigValues
    public let settings: CoreSettings

    public struct Failure: Error {
        public let status: ExitStatus
        public let message: String
    }

    public static func open(configPath: String?, environment: [String: String]? = nil) async throws -> OperatorSession {
        do {
            let config = try await ConfigValues.load(filePath: configPath, environment: environment)
            let settings = try CoreSettings.load(from: config)
            Secrets.shared.register(DatabaseURL.password(in: settings.databaseURL))
            return OperatorSession(config: config, settings: settings)
        } catch {
            throw Failure(status: .configuration, message: Secrets.shared.scrub("nightshift: \(error)"))
        }
    }

    public func connect() throws -> Connection {
        do {
            return try Database.connect(settings.databaseURL, policy: settings.databaseRetry, applicationName: "nightshift")
        } catch let failure as RetryExhausted {
            let auth = (failure.underlying as? PostgresError)?.isAuthenticationFailure ?? false
            throw Failure(status: auth ? .configuration : .temporaryFailure,
                          message: Secrets.shared.scrub("nightshift: database \(auth ? "rejected the credentials" : "unreachable"): \(failure)"))
        }
    }
}

/// Where this install lives, worked out from the running executable.
public enum InstallPaths {
    public static var binDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().standardizedFileURL.path
    }

    /// The nearest directory above the executables holding the suite's `crontab` file.
    public static var home: String? {
        var url = URL(fileURLWithPath: binDirectory)
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("crontab").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }
}
