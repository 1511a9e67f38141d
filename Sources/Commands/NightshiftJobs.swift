import ArgumentParser
import Foundation
import NightshiftCore
import Operations

public struct NightshiftJobs: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "One line per scheduled job: schedule, last run, last success, state, next due, open failures and alerts.")
    @OptionGroup public var run: RunOptions
    @OptionGroup public var clock: NowOption
    @Flag(help: "JSON output.") public var json = false

    public func run() async throws {
        try await operate {
            let session = try await CommandSession.open(configPath: run.configPath)
            let zone = session.settings.timeZone
            let now = try clock.now.map { try TimestampArgument.parseNow($0, timeZone: zone) } ?? Date()
            let overview = try JobsOverview.read(try session.connect(), now: now, zone: zone)
            if json {
                print(overview.json)
            } else {
                print(TextTable(headers: JobsOverview.columns, rightAligned: [6, 7]).render(overview.cells))
            }
        }
    }
}
