import Commands
import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// October 2025 is older than the 13 months kept on 6 December 2026 (November 2025 is the last
/// kept). Its partitions go only when rate-calc has computed every day in it and the archive is
/// verified; the archive restores to the same rows.
final class StatusRetentionTests: DatabaseTestCase {
    let now = "2026-12-06T04:00"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'status-collect', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            SELECT nightshift_month_partition('status', '2025-10-01'), nightshift_month_partition('status_collection', '2025-10-01'),
                   nightshift_month_partition('status', '2025-11-01'), nightshift_month_partition('status_collection', '2025-11-01');
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (1, '店', 'dto', 'http://x/1', '18:00', '05:00');
            INSERT INTO "cast" (id, business_id, site_cast_id, name, first_seen_at, last_seen_at)
            SELECT i, 1, i::text, 'c' || i, now(), now() FROM generate_series(1, 3) i;
            -- Two nights of October 2025 (the 10th and 11th), collected at 20:00 and 02:00 Tokyo time.
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok)
            SELECT 1, 1, s, s, true FROM unnest(ARRAY[timestamptz '2025-10-10 20:00+09', '2025-10-11 02:00+09',
                                                     '2025-10-11 20:00+09', '2025-10-12 02:00+09']) s;
            INSERT INTO status (cast_id, business_id, slot, status, raw_status)
            SELECT c, 1, sc.slot, 'busy', 'x' FROM generate_series(1, 3) c, status_collection sc;
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            VALUES (1, '2025-10-10', '2025-10-10 18:00+09', '2025-10-11 05:00+09', 22, 2, 0.09, 3, 3, 3, 1);
            """)
    }

    var environment: [String: String] {
        ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs", "MAINTENANCE_ARCHIVE_DIR": root + "/archive", "MAINTENANCE_HEALTH_SKIP": "backup_age"]
    }

    func maintenance(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> ProcessResult {
        try runToEnd("maintenance", arguments + ["--now", now], environment: environment.merging(extra) { $1 })
    }

    func tables() throws -> [String] {
        try db.connection.query("""
            SELECT relname FROM pg_class WHERE relname ~ '^status(_collection)?_p2025_1[01]$' AND relkind = 'r' ORDER BY relname
            """).rows.map { try $0.string("relname") }
    }

    var archive: String { root + "/archive/" + db.name }

    func testAMonthWithADayNotComputedIsKeptThenArchivedDroppedAndRestorable() throws {
        let dry = try maintenance(["--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("keeps 2025-10: 1 business day not computed by rate-calc (business 1: 2025-10-11); " +
                                          "run rate-calc --business-id 1 --from 2025-10-11 --to 2025-10-11"), dry.stdout)

        let kept = try maintenance()
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertEqual(kept.stdout + kept.stderr, "", "quiet on success")
        XCTAssertEqual(try tables().count, 4, "nothing dropped while a day is not computed")
        XCTAssertEqual(try db.connection.query("SELECT metadata->>'months_kept' AS k FROM batch_runs WHERE job = 'maintenance'").first?
            .string("k"), "1")

        try db.connection.execute(script: """
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            VALUES (1, '2025-10-11', '2025-10-11 18:00+09', '2025-10-12 05:00+09', 22, 2, 0.09, 3, 3, 3, 1);
            """)
        let before = try db.connection.query("SELECT string_agg(s::text, '|' ORDER BY id) AS rows FROM status_p2025_10 s").first!.string("rows")
        let dry2 = try maintenance(["--dry-run"])
        XCTAssertEqual(dry2.stdout.split(separator: "\n").filter { $0.contains("archive") },
                       ["would archive and drop status_p2025_10", "would archive and drop status_collection_p2025_10"])
        XCTAssertEqual(try tables().count, 4, "a dry run changes nothing")

        let archived = try maintenance()
        XCTAssertEqual(archived.status, 0, archived.stderr)
        XCTAssertEqual(try tables(), ["status_collection_p2025_11", "status_p2025_11"], "October went; November is kept (13 months)")
        let files = try FileManager.default.contentsOfDirectory(atPath: archive).sorted()
        XCTAssertEqual(files, ["status_collection_p2025_10.dump", "status_collection_p2025_10.dump.manifest.json",
                               "status_p2025_10.dump", "status_p2025_10.dump.manifest.json"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: archive + "/status_p2025_10.dump.manifest.json")))
            as! [String: Any]
        XCTAssertEqual(manifest["rows"] as? Int, 12)
        XCTAssertEqual(manifest["sha256"] as? String, try FileDigest.sha256(ofFile: archive + "/status_p2025_10.dump"))
        XCTAssertEqual(try db.connection.query("SELECT table_name || ' ' || rows AS x FROM partition_archive ORDER BY table_name").rows
            .map { try $0.string("x") }, ["status_collection_p2025_10 4", "status_p2025_10 12"])

        // The documented restore: pg_restore the archive, then attach it at the manifest's bounds.
        let restore = try runToEnd("/usr/bin/pg_restore", ["--dbname=\(db.url)", "--no-owner", archive + "/status_p2025_10.dump"], environment: [:])
        XCTAssertEqual(restore.status, 0, restore.stderr)
        try db.connection.execute(script: """
            ALTER TABLE status ATTACH PARTITION status_p2025_10 FOR VALUES FROM ('\(manifest["from"]!)') TO ('\(manifest["to"]!)')
            """)
        XCTAssertEqual(try db.connection.query("""
            SELECT string_agg(s::text, '|' ORDER BY id) AS rows FROM status s WHERE slot < '2025-11-01 00:00+00'
            """).first!.string("rows"), before, "the archive restores to the same rows")
    }

    /// A dump that does not verify (here cut short after pg_dump wrote it) leaves the partition
    /// attached and in place, the failure recorded; the next good run archives it.
    func testAPartitionWhoseArchiveFailsVerificationIsKept() throws {
        try db.connection.execute(script: """
            INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots, coverage,
                                        casts_seen, casts_on_shift, peak_on_shift, run_id)
            VALUES (1, '2025-10-11', '2025-10-11 18:00+09', '2025-10-12 05:00+09', 22, 2, 0.09, 3, 3, 3, 1);
            """)
        let script = root + "/pg_dump_cut_short"
        try """
            #!/bin/sh
            pg_dump "$@" || exit $?
            for argument in "$@"; do
                case "$argument" in --file=*) file="${argument#--file=}"; head -c 64 "$file" > "$file.cut" && mv "$file.cut" "$file";; esac
            done
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let failed = try maintenance(environment: ["BACKUP_PG_DUMP": script])
        XCTAssertEqual(failed.status, 1, "the archives failed, the rest of the run did not: " + failed.stderr)
        XCTAssertTrue(failed.stderr.contains("archive of status_p2025_10"), failed.stderr)
        XCTAssertEqual(try tables().count, 4, "both October partitions kept")
        XCTAssertEqual(try db.connection.query("""
            SELECT count(*) AS n FROM status WHERE slot < '2025-11-01 00:00+00'
            """).first!.int("n"), 12, "attached again: the samples are where they were")
        XCTAssertFalse(FileManager.default.fileExists(atPath: archive + "/status_p2025_10.dump"), "no archive under its final name")
        XCTAssertEqual(Set(try db.openFailures(job: "maintenance").keys), ["archive:status_p2025_10", "archive:status_collection_p2025_10"])

        XCTAssertEqual(try maintenance().status, 0)
        XCTAssertEqual(try tables().count, 2)
        XCTAssertEqual(try db.openFailures(job: "maintenance"), [:])
    }

    func testPartitionsAheadAreCreatedAndStraysReported() throws {
        try db.connection.execute(script: """
            DROP TABLE status_p2027_03;
            INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES (1, 1, '2027-03-10 12:00+00', 'off', 'x'),
                                                                                   (1, 1, '2026-05-10 12:00+00', 'off', 'x');
            """)
        let dry = try maintenance(["--dry-run"])
        XCTAssertTrue(dry.stdout.contains("would create status_p2027_03\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("would create status_p2026_05\n"), "a past month's samples get their month: \(dry.stdout)")
        XCTAssertTrue(dry.stdout.contains("WARNING  default_partitions: status_default: 2 rows"), dry.stdout)
        XCTAssertEqual(try db.connection.query("SELECT to_regclass('status_p2027_03') IS NULL AS gone").first!.bool("gone"), true)

        XCTAssertEqual(try maintenance().status, 0)
        XCTAssertEqual(try db.connection.query("""
            SELECT tableoid::regclass::text AS part FROM status WHERE slot = '2027-03-10 12:00+00'
            """).first?.string("part"), "status_p2027_03", "the stray moved into the month's new partition")
        XCTAssertEqual(try db.connection.query("""
            SELECT tableoid::regclass::text AS part FROM status WHERE slot = '2026-05-10 12:00+00'
            """).first?.string("part"), "status_p2026_05")
        XCTAssertEqual(try db.connection.query("SELECT metadata->>'health' AS h FROM batch_runs WHERE job = 'maintenance'").first?
            .string("h"), "ok", "the default partition is empty again")
    }
}
