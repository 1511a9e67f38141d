import Foundation
import Postgres

/// Config and connection for commands that are not ledger jobs (reports, operator tools), with
/// the suite's exit codes: 78 for bad config, 75 when the database stays unreachable.
public struct CommandSession {
    public let config: ConfigValues
    public let settings: CoreSettings
    public let name: String

    public struct Failure: Error {
        public let status: ExitStatus
        public let message: String
    }

    public static func open(configPath: String?, environment: [String: String]? = nil, name: String = "nightshift") async throws -> CommandSession {
        do {
            let config = try await ConfigValues.load(filePath: configPath, environment: environment, collecting: true)
            let settings = try CoreSettings.load(from: config)
            let problems = config.problems?.all ?? []
            guard problems.isEmpty else {
                throw Failure(status: .configuration,
                              message: Secrets.shared.scrub(problems.map { "\(name): \($0)" }.joined(separator: "\n")))
            }
            for secret in DatabaseURL.secrets(in: settings.databaseURL) { Secrets.shared.register(secret) }
            // Settings read later by the command itself fail at once.
            return CommandSession(config: config.throwing, settings: settings, name: name)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(status: .configuration, message: Secrets.shared.scrub("\(name): \(error)"))
        }
    }

    /// Runs a command that is not a ledger job and turns its failures into the suite's exit codes,
    /// with one line on stderr: a session failure's own code, 64 for usage errors, 2 otherwise.
    public static func exitStatus(name: String, _ body: () async throws -> Void) async -> ExitStatus {
        do {
            try await body()
            return .succeeded
        } catch let failure as Failure {
            Console.writeStderr(failure.message)
            return failure.status
        } catch let error as UsageError {
            Console.writeStderr("\(name): \(error)")
            return .usage
        } catch let error as ConfigurationError {
            Console.writeStderr(Secrets.shared.scrub("\(name): \(error)"))
            return .configuration
        } catch {
            Console.writeStderr(Secrets.shared.scrub("\(name): \(error)"))
            return .failed
        }
    }

    public func connect() throws -> Connection {
        do {
            return try Database.connect(settings.databaseURL, policy: settings.databaseRetry, applicationName: name)
        } catch let failure as RetryExhausted {
            let auth = (failure.underlying as? PostgresError)?.isAuthenticationFailure ?? false
            throw Failure(status: auth ? .configuration : .temporaryFailure,
                          message: Secrets.shared.scrub("\(name): database \(auth ? "rejected the credentials" : "unreachable"): \(failure)"))
        }
    }
}
