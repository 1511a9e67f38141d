import ArgumentParser
import Foundation
import NightshiftCore
import Operations

public struct NightshiftMetrics: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Print the suite's metrics from the ledger in Prometheus' exposition format (or push them).")
    @OptionGroup public var run: RunOptions
    @Option(help: ArgumentHelp("POST them to this Pushgateway URL instead (push-add), e.g. http://pushgateway:9091/metrics/job/nightshift.",
                               valueName: "url"))
    public var push: String?

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let exposition = try JobMetrics.exposition(try session.connect())
            if let push { try MetricsPublisher.push(exposition, to: push) } else { print(exposition, terminator: "") }
        }
    }
}
