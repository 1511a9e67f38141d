import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// `nightshift metrics`, the textfile and the push, read back by Prometheus' own Python parser.
final class MetricsTests: WatchTestCase {
    /// Every sample as `name{label="value",…}` → value, as prometheus_client parses the text.
    func parse(_ text: String) throws -> [String: Double] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
                    out[s.name + "{" + labels + "}"] = s.value
            print(json.dumps(out))
            """
        let file = root + "/exposition.txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let parsed = try runToEnd("/bin/sh", ["-c", "\"$0\" -c \"$1\" < \"$2\"", TestEnvironment.required("NIGHTSHIFT_TEST_PYTHON"), script, file],
                                  environment: [:])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        return try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as! [String: Double]
    }

    func seedLedger() throws {
        try db.connection.execute(script: """
            INSERT INTO batch_runs (job, host, pid, status, started_at, finished_at, exit_code, items_ok, items_failed) VALUES
              ('backup', 'h', 1, 'succeeded', '2026-12-05T01:00:00Z', '2026-12-05T01:02:00Z', 0, 1, 0),
              ('backup', 'h', 1, 'failed',    '2026-12-06T01:00:00Z', '2026-12-06T01:00:30Z', 2, 0, 1),
              ('backup', 'h', 1, 'skipped',   '2026-12-06T02:00:00Z', '2026-12-06T02:00:00Z', 0, 0, 0),
              ('rate-calc', 'h', 1, 'partial', '2026-12-06T00:15:00Z', '2026-12-06T00:15:04Z', 1, 5, 2),
              ('status-collect', 'h', 1, 'running', '2026-12-06T03:00:00Z', NULL, NULL, 0, 0);
            INSERT INTO alert (key, job, severity, summary, opened_at, last_seen_at) VALUES
              ('missed:backup', 'backup', 'critical', 'x', now(), now()), ('dead_letters', NULL, 'warning', 'y', now(), now());
            """)
    }

    func testTheExpositionSaysWhatTheLedgerSays() throws {
        try seedLedger()
        let printed = try runToEnd("nightshift", ["metrics"], environment: environment())
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let samples = try parse(printed.stdout)
        XCTAssertEqual(samples["nightshift_job_last_success_timestamp_seconds{job=\"backup\"}"], at("2026-12-05T01:02:00Z").timeIntervalSince1970)
        XCTAssertEqual(samples["nightshift_job_last_run_timestamp_seconds{job=\"backup\"}"], at("2026-12-06T01:00:00Z").timeIntervalSince1970,
                       "a skipped run is not the last run")
        XCTAssertEqual(samples["nightshift_job_last_duration_seconds{job=\"backup\"}"], 30)
        XCTAssertEqual(samples["nightshift_job_last_exit_code{job=\"backup\"}"], 2)
        XCTAssertEqual(samples["nightshift_job_items{job=\"backup\",result=\"failed\"}"], 1)
        XCTAssertEqual(samples["nightshift_job_items{job=\"rate-calc\",result=\"ok\"}"], 5)
        XCTAssertEqual(samples["nightshift_job_last_exit_code{job=\"rate-calc\"}"], 1)
        XCTAssertNil(samples["nightshift_job_last_success_timestamp_seconds{job=\"rate-calc\"}"], "never succeeded: no sample")
        XCTAssertEqual(samples["nightshift_job_running{job=\"status-collect\"}"], 1)
        XCTAssertEqual(samples["nightshift_job_running{job=\"backup\"}"], 0)
        XCTAssertEqual(samples["nightshift_job_runs_total{job=\"backup\",status=\"failed\"}"], 1)
        XCTAssertEqual(samples["nightshift_job_runs_total{job=\"backup\",status=\"skipped\"}"], 1)
        // backup's finished runs took 120 s and 30 s (the skipped one is not a duration).
        XCTAssertEqual(samples["nightshift_job_duration_seconds_bucket{job=\"backup\",le=\"15.0\"}"], 0)
        XCTAssertEqual(samples["nightshift_job_duration_seconds_bucket{job=\"backup\",le=\"30.0\"}"], 1)
        XCTAssertEqual(samples["nightshift_job_duration_seconds_bucket{job=\"backup\",le=\"300.0\"}"], 2)
        XCTAssertEqual(samples["nightshift_job_duration_seconds_count{job=\"backup\"}"], 2)
        XCTAssertEqual(samples["nightshift_job_duration_seconds_sum{job=\"backup\"}"], 150)
        XCTAssertEqual(samples["nightshift_alerts_open{severity=\"critical\"}"], 1)
        XCTAssertEqual(samples["nightshift_alerts_open{severity=\"warning\"}"], 1)
        XCTAssertEqual(samples["nightshift_dead_letters_open{}"], 0)

        // The shipped alerting rules only name metrics that exist.
        let rules = try String(contentsOfFile: TestEnvironment.packageRoot + "/docs/prometheus/nightshift-rules.yml", encoding: .utf8)
        let names = Set(samples.keys.map { String($0.prefix { $0 != "{" }) })
        let referenced = Set(rules.matches(of: try Regex("nightshift_[a-z_]+")).map { String(rules[$0.range]) })
        XCTAssertFalse(referenced.isEmpty)
        XCTAssertEqual(referenced.subtracting(names), [])
    }

    func testEveryRunRewritesTheTextfileAndCanPushIt() throws {
        try seedLedger()
        let textfile = root + "/textfile/nightshift.prom"
        try FileManager.default.createDirectory(atPath: root + "/textfile", withIntermediateDirectories: true)
        let run = try runToEnd("usage-aggregate", ["--now", "2026-12-06T03:00+09:00"],
                               environment: environment(["METRICS_TEXTFILE": textfile, "METRICS_PUSHGATEWAY_URL": hookURL("push")]))
        XCTAssertEqual(run.status, 0, run.stderr)
        let samples = try parse(try String(contentsOfFile: textfile, encoding: .utf8))
        XCTAssertEqual(samples["nightshift_job_last_exit_code{job=\"usage-aggregate\"}"], 0, "the run just finished is in it")
        XCTAssertNotNil(samples["nightshift_job_last_success_timestamp_seconds{job=\"usage-aggregate\"}"])
        XCTAssertEqual(samples["nightshift_job_last_exit_code{job=\"backup\"}"], 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/textfile"), ["nightshift.prom"], "no temporary file left")

        let pushed = try hookRequests("push")
        XCTAssertEqual(pushed.count, 1)
        XCTAssertEqual(pushed.first?["method"] as? String, "POST", "push-add, never a PUT that replaces the group")
        XCTAssertEqual(pushed.first?["content_type"] as? String, "text/plain; version=0.0.4")
        XCTAssertEqual(try parse(pushed.first?["body"] as? String ?? "")["nightshift_job_last_exit_code{job=\"usage-aggregate\"}"], 0)

        let push = try runToEnd("nightshift", ["metrics", "--push", hookURL("push")], environment: environment())
        XCTAssertEqual(push.status, 0, push.stderr)
        XCTAssertEqual(push.stdout, "")
        XCTAssertEqual(try hookRequests("push").count, 2)
        XCTAssertEqual(try runToEnd("usage-aggregate", [], environment: environment(["METRICS_PUSHGATEWAY_URL": "ftp://x"])).status, 78)
    }
}
