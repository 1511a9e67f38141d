import Foundation
import ArgumentParser

/// Options every command takes. Each executable embeds them with `@OptionGroup`.
public struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("JSON config file (default: $NIGHTSHIFT_CONFIG). Environment variables override it.",
                                            valueName: "path"))
    public var config: String?

    @Flag(name: .long, help: "Show progress on stderr even when it is not a terminal.")
    public var verbose = false

    @Flag(name: .long, help: "Print nothing, not even the failure summary (the exit code still tells).")
    public var quiet = false

    public init() {}

    public var configPath: String? {
        config ?? ProcessInfo.processInfo.environment["NIGHTSHIFT_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var consoleMode: Console.Mode { quiet ? .quiet : (verbose ? .verbose : .normal) }
}
