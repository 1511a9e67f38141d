import Foundation
import NightshiftCore
import Postgres

/// The month partitions of the sample tables (`status_pYYYY_MM`, `status_collection_pYYYY_MM`,
/// calendar months in UTC), as the catalog has them: attached, or detached by a run that was
/// stopped before it dropped them.
public struct MonthPartition: Sendable, Equatable {
    public var parent: String
    public var name: String
    public var month: CalendarMonth
    public var attached: Bool

    /// The partitioned tables, in the order their months are archived: the samples before the
    /// collections, which tell which business days a month covers.
    public static let parents = ["status", "status_collection"]

    /// `status_p2025_10`.
    public static func name(_ parent: String, _ month: CalendarMonth) -> String {
        "\(parent)_p" + String(format: "%04d_%02d", month.year, month.month)
    }

    /// The partition's bounds, as PostgreSQL literals: the month's first instant in UTC and the next's.
    public static func bounds(_ month: CalendarMonth) -> (from: String, to: String) {
        ("\(month.firstDay) 00:00:00+00", "\(month.advanced(by: 1).firstDay) 00:00:00+00")
    }

    /// Every month partition of `parents` in the catalog.
    public static func list(_ db: Connection) throws -> [MonthPartition] {
        try db.query("""
            SELECT c.relname, substring(c.relname FROM '^(.*)_p[0-9]{4}_[0-9]{2}$') AS parent,
                   substring(c.relname FROM '_p([0-9]{4})_[0-9]{2}$') || '-' || substring(c.relname FROM '_p[0-9]{4}_([0-9]{2})$') AS month,
                   EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS attached
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind = 'r'
               AND substring(c.relname FROM '^(.*)_p[0-9]{4}_[0-9]{2}$') = ANY ($1::text[])
             ORDER BY month, parent
            """, [parents]).rows.compactMap { row in
            guard let month = CalendarMonth(try row.string("month")) else { return nil }
            return MonthPartition(parent: try row.string("parent"), name: try row.string("relname"), month: month,
                                  attached: try row.bool("attached"))
        }
    }

    /// Creates the partition of `month` unless it exists (moving rows the default partition caught
    /// for it); true when it was created.
    public static func ensure(_ db: Connection, parent: String, month: CalendarMonth) throws -> Bool {
        try db.query("SELECT nightshift_month_partition($1::regclass, $2::date) AS created", [parent, month.firstDay])
            .first?.optionalString("created") != nil
    }

    /// The UTC months of the rows in `parent`'s default partition.
    public static func strayMonths(_ db: Connection, parent: String) throws -> [CalendarMonth] {
        try db.query("""
            SELECT DISTINCT to_char(slot AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM \(Identifier.quoted(parent + "_default")) ORDER BY 1
            """).rows.compactMap { CalendarMonth(try $0.string("month")) }
    }

    /// Rows in each parent's default partition: slots no month partition covered.
    public static func defaultRows(_ db: Connection) throws -> [String: Int] {
        var rows: [String: Int] = [:]
        for parent in parents {
            rows[parent] = try db.query("SELECT count(*) AS n FROM \(Identifier.quoted(parent + "_default"))").first!.int("n")
        }
        return rows
    }
}

/// A table name from the catalog in SQL text, double-quoted (identifiers cannot be bound as parameters).
enum Identifier {
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
