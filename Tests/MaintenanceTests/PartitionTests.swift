import Commands
import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// The sample tables partitioned by month: the in-place conversion of a populated installation,
/// partitions created ahead, and an old month archived and dropped only when nothing is lost.
final class PartitionTests: DatabaseTestCase {
    func fingerprint(_ table: String, in db: TestDatabase) throws -> String {
        try db.connection.query("SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS f FROM \(table) t")
            .first!.string("f")
    }

    func testConvertingAPopulatedInstallationKeepsEveryRowIdAndKey() throws {
        let db = try TestDatabase(migrated: false)
        try Migrator(migrations: Schema.suite.migrations().filter { $0.version <= 9 }).migrate(db.connection)
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'status-collect', 'test', 0, 'succeeded');
            SELECT setval('batch_runs_id_seq', 1);
            INSERT INTO business (id, name, site, listing_url, open_time, close_time) VALUES (1, '店', 'dto', 'http://x/1', '18:00', '05:00');
            INSERT INTO "cast" (id, business_id, site_cast_id, name, first_seen_at, last_seen_at)
            SELECT i, 1, i::text, 'c' || i, now(), now() FROM generate_series(1, 20) i;
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok)
            SELECT 1, 1, s, s, true FROM generate_series(timestamptz '2026-09-01 18:00+09', '2026-11-30 18:00+09', interval '1 day') s;
            INSERT INTO status (cast_id, business_id, slot, status, raw_status)
            SELECT c, 1, s, (ARRAY['available', 'busy', 'off'])[1 + (c + extract(day FROM s)::int) % 3], 'x'
              FROM generate_series(1, 20) c, generate_series(timestamptz '2026-09-01 18:00+09', '2026-11-30 18:00+09', interval '1 day') s;
            -- A sample far in the future: no month partition will cover it.
            INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES (1, 1, '2031-01-01 00:00+00', 'off', 'x');
            """)
        let before = (try fingerprint("status", in: db), try fingerprint("status_collection", in: db))
        let lastID = try db.connection.query("SELECT max(id) AS id FROM status").first!.int("id")

        try Migrator(schema: .suite).migrate(db.connection)

        XCTAssertEqual(try fingerprint("status", in: db), before.0, "every sample kept, with its id")
        XCTAssertEqual(try fingerprint("status_collection", in: db), before.1)
        let partitions = try db.connection.query("""
            SELECT c.relname, (SELECT count(*) FROM status s WHERE s.tableoid = c.oid) AS rows
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'status'::regclass ORDER BY c.relname
            """).rows.map { "\(try $0.string("relname")) \(try $0.int("rows"))" }
        XCTAssertEqual(Array(partitions.prefix(4)), ["status_default 1", "status_p2026_09 600", "status_p2026_10 620", "status_p2026_11 600"],
                       "months in UTC (18:00 in Tokyo is 09:00 UTC the same day)")
        XCTAssertEqual(partitions.count, 1 + 7, "the default, September to this month (December 2026) and three ahead")

        XCTAssertThrowsError(try db.connection.query("""
            INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES (1, 1, '2026-10-05 18:00+09', 'busy', 'x')
            """), "(cast_id, slot) is still unique across the partitioned table")
        let next = try db.connection.query("""
            INSERT INTO status (cast_id, business_id, slot, status, raw_status) VALUES (1, 1, '2026-12-01 18:00+09', 'busy', 'x') RETURNING id
            """).first!.int("id")
        XCTAssertEqual(next, lastID + 2, "ids go on from the same sequence (the refused row used one)")
        XCTAssertEqual(try db.connection.query("""
            INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok) VALUES (1, 1, '2026-10-05 18:00+09', now(), false)
            ON CONFLICT (business_id, slot) DO NOTHING RETURNING id
            """).rows.count, 0, "the collector's upsert key holds")

        let calc = try runToEnd("rate-calc", ["--date", "2026-10-05", "--now", "2026-12-06T12:00"],
                                environment: ["DATABASE_URL": db.url, "LOG_DIR": root + "/logs"])
        XCTAssertEqual(calc.status, 0, calc.stderr)
        XCTAssertEqual(try db.connection.query("""
            SELECT ok_slots || '/' || casts_seen AS x FROM business_daily WHERE business_day = '2026-10-05'
            """).first?.string("x"), "1/20", "rate-calc reads the partitioned samples unchanged")
    }
}
