import Foundation
import NightshiftCore
import Postgres

/// Deletes old rows of other tables — the suite's ledger and sent mail, and tables of the host
/// application (`retention.tables`) — in chunks of `chunkRows`, each its own short transaction
/// that skips rows another session has locked, so no long lock and no long transaction. A row
/// another table still references (by a foreign key) is left.
struct TableRetention {
    /// `{table, timestamp column, older than}`, and for the suite's own tables which rows may go at all.
    struct Rule: Sendable, Equatable {
        var table: String
        var column: String
        var days: Int
        /// SQL over the table's columns (the suite's own rules only, never from configuration).
        var condition: String?
    }

    static let chunkRows = 10_000
    static let step = ItemStep<Rule>(name: "retention", failureMessage: "retention rule failed", keys: { ["retention:\($0.table)"] },
                                     label: { "retention of \($0.table).\($0.column)" }, fields: { ["table": .string($0.table)] })

    /// The suite's rules (0 days turns one off) and the host application's.
    static func rules(_ config: ConfigValues) throws -> [Rule] {
        let ledger = try config.int("retention.ledger_days", default: 400, range: 0...36_500)
        let outbox = try config.int("retention.outbox_days", default: 400, range: 0...36_500)
        var rules: [Rule] = []
        if ledger > 0 {
            rules.append(Rule(table: "batch_failures", column: "resolved_at", days: ledger, condition: "resolved_at IS NOT NULL"))
            rules.append(Rule(table: "batch_runs", column: "started_at", days: ledger, condition: "status <> 'running'"))
        }
        if outbox > 0 { rules.append(Rule(table: "mail_outbox", column: "sent_at", days: outbox, condition: "status = 'sent'")) }
        return rules + (try hostRules(config))
    }

    /// `retention.tables`: `table.column:days` separated by commas, e.g.
    /// `app_session.expires_at:7, api_cache.created_at:30`.
    static func hostRules(_ config: ConfigValues) throws -> [Rule] {
        guard let text = try config.optionalString("retention.tables"), !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { item in
            let entry = item.trimmingCharacters(in: .whitespaces)
            let parts = entry.split(separator: ":")
            let names = parts.first?.split(separator: ".") ?? []
            guard parts.count == 2, names.count == 2, let days = Int(parts[1]), days > 0 else {
                throw ConfigurationError(key: "retention.tables", source: config.source(of: "retention.tables"),
                                         expected: "table.column:days separated by commas, like app_session.expires_at:7 (\"\(entry)\" is not one)")
            }
            return Rule(table: String(names[0]), column: String(names[1]), days: days, condition: nil)
        }
    }

    let context: JobContext
    let lockTimeoutMS: Int

    /// Applies every rule, a failed one (a table or column that does not exist) not stopping the others.
    func apply(_ rules: [Rule], into summary: inout JobSummary) throws {
        var deleted = 0
        try context.run(Self.step, rules, into: &summary) { rule in
            let statement = try deletion(rule)
            guard !context.isDryRun else {
                let count = try context.db.query("SELECT count(*) AS n FROM \(statement.candidates)", [statement.cutoff]).first!.int("n")
                context.report("would delete \(count) rows of \(rule.table) (\(rule.column) older than \(rule.days) days)")
                return
            }
            var removed = 0, chunk = 0
            repeat {
                chunk = try context.db.transaction {
                    try context.db.execute(script: "SET LOCAL lock_timeout = \(lockTimeoutMS)")
                    return try context.db.query(statement.delete, [statement.cutoff]).affectedRows
                }
                removed += chunk
            } while chunk == Self.chunkRows
            deleted += removed
            if removed > 0 {
                context.logger.info("deleted old rows", metadata: ["table": .string(rule.table), "rows": .int(removed)])
            }
        }
        summary.metadata["retention_deleted"] = .int(deleted)
    }

    struct Deletion {
        /// `<table> t WHERE …` — the rows that may go; `$1` is the cutoff.
        var candidates: String
        var delete: String
        var cutoff: Date
    }

    /// The rule's statements, built only from names found in the catalog (quoted), never from the
    /// configuration's text.
    func deletion(_ rule: Rule) throws -> Deletion {
        guard let column = try context.db.query("""
            SELECT quote_ident(c.relname) AS tab, quote_ident(a.attname) AS col, format_type(a.atttypid, a.atttypmod) AS type
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped AND a.attnum > 0
             WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = $1 AND a.attname = $2
            """, [rule.table, rule.column]).first else {
            throw RetentionRuleError("\(rule.table).\(rule.column): no such table or column in schema \(try currentSchema())")
        }
        let type = try column.string("type")
        guard type.hasPrefix("timestamp") || type == "date" else {
            throw RetentionRuleError("\(rule.table).\(rule.column) is \(type), not a timestamp or date")
        }
        let table = try column.string("tab"), name = try column.string("col")
        // Rows still referenced by a foreign key stay (the ledger's runs behind kept aggregates).
        let references = try context.db.query("""
            SELECT format('NOT EXISTS (SELECT 1 FROM %s r WHERE %s)', con.conrelid::regclass,
                          string_agg(format('r.%I = t.%I', ra.attname, ta.attname), ' AND ')) AS clause
              FROM pg_constraint con
             CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(referencing, referenced)
              JOIN pg_attribute ra ON ra.attrelid = con.conrelid AND ra.attnum = k.referencing
              JOIN pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = k.referenced
             WHERE con.contype = 'f' AND con.confrelid = $1::regclass AND con.conrelid <> con.confrelid
               AND con.conparentid = 0
             GROUP BY con.oid, con.conrelid
            """, [table]).rows.map { try $0.string("clause") }
        let conditions = ["t.\(name) < $1"] + (rule.condition.map { ["(\($0))"] } ?? []) + references
        let candidates = "\(table) t WHERE " + conditions.joined(separator: " AND ")
        let delete = """
            DELETE FROM \(table) WHERE ctid IN (SELECT t.ctid FROM \(candidates) LIMIT \(Self.chunkRows) FOR UPDATE SKIP LOCKED)
            """
        return Deletion(candidates: candidates, delete: delete, cutoff: context.clock.now.addingTimeInterval(-Double(rule.days) * 86_400))
    }

    private func currentSchema() throws -> String { try context.db.query("SELECT current_schema() AS s").first!.string("s") }
}

struct RetentionRuleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
