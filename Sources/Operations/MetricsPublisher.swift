import Foundation
import NightshiftCore
import Postgres

/// Where the metrics go after every run: the textfile (`metrics.textfile`) and a Pushgateway
/// (`metrics.pushgateway_url`). A push is a POST — Pushgateway's push-add, which replaces only the
/// metrics it carries — and carries the whole ledger's view, so a failed run never erases the
/// last success.
public struct MetricsPublisher {
    public var textfile: String?
    public var pushgateway: String?

    public static func load(_ config: ConfigValues) throws -> MetricsPublisher {
        let push = try config.optionalHTTPURL("metrics.pushgateway_url",
                                              expected: "an http(s) URL such as http://pushgateway:9091/metrics/job/nightshift")
        return MetricsPublisher(textfile: try config.optionalString("metrics.textfile").flatMap { $0.isEmpty ? nil : $0 }, pushgateway: push)
    }

    public func publish(_ db: Connection) throws {
        guard textfile != nil || pushgateway != nil else { return }
        let exposition = try JobMetrics.exposition(db)
        if let textfile { try DurableFiles.write(Data(exposition.utf8), to: textfile, mode: 0o644) }
        if let pushgateway { try Self.push(exposition, to: pushgateway) }
    }

    public static func push(_ exposition: String, to url: String) throws {
        try OperatorEndpoint(url).post(Array(exposition.utf8), contentType: "text/plain; version=0.0.4")
    }
}
