import Commands
import Foundation
import NightshiftCore
import TestSupport
import XCTest

/// Migration 0009 on an installation whose reports were already mailed: `report.sent_at` is
/// filled from the outbox (the operator's report from its last letter), unsent ones stay empty.
final class ReportMigrationTests: XCTestCase {
    func testSentTimesOfReportsMailedBeforeTheColumnComeFromTheOutbox() throws {
        let db = try TestDatabase(migrated: false)
        try Migrator(migrations: Schema.suite.migrations().filter { $0.version <= 8 }).migrate(db.connection)
        try db.connection.execute(script: """
            INSERT INTO batch_runs (id, job, host, pid, status) VALUES (1, 'monthly-report', 'test', 0, 'succeeded');
            INSERT INTO report (kind, subject_id, month, figures, inputs_hash, run_id) VALUES
              ('company', 1, '2026-10-01', '{}', 'x', 1), ('company', 2, '2026-10-01', '{}', 'x', 1),
              ('business', 1, '2026-10-01', '{}', 'x', 1), ('operator', 0, '2026-10-01', '{}', 'x', 1);
            INSERT INTO mail_outbox (about, recipient, message_id, status, sent_at) VALUES
              ('report:company:1:2026-10', 'a@x.example', 'm1', 'sent', '2026-11-02 07:01+09'),
              ('report:company:2:2026-10', 'b@x.example', 'm2', 'pending', NULL),
              ('report:business:1:2026-10', 'c@x.example', 'm3', 'sent', '2026-11-02 07:02+09'),
              ('report:operator:2026-10:ops@x.example', 'ops@x.example', 'm4', 'sent', '2026-11-02 07:03+09'),
              ('report:operator:2026-10:cto@x.example', 'cto@x.example', 'm5', 'sent', '2026-11-02 07:04+09');
            """)
        try Migrator(schema: .suite).migrate(db.connection)
        let rows = try db.connection.query("""
            SELECT kind || ' ' || subject_id || ' ' || coalesce(to_char(sent_at AT TIME ZONE 'Asia/Tokyo', 'HH24:MI'), '-') AS line
              FROM report ORDER BY kind, subject_id
            """).rows.map { try $0.string("line") }
        XCTAssertEqual(rows, ["business 1 07:02", "company 1 07:01", "company 2 -", "operator 0 07:04"])
    }
}
