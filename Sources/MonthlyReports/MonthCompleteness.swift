import Foundation
import NightshiftCore
import Postgres

/// Whether the data a month's reports stand on was all computed.
public enum MonthCompleteness {
    /// Days of `month` without their system-wide `usage_log` row: usage-aggregate writes that row
    /// last in a day's transaction, so a day is complete exactly when it has one.
    public static func missingUsageDays(_ db: Connection, month: CalendarMonth) throws -> [String] {
        try db.query("""
            SELECT d::date::text AS day
              FROM generate_series($1::date, $2::date, interval '1 day') AS d
             WHERE NOT EXISTS (SELECT 1 FROM usage_log u WHERE u.company_id IS NULL AND u.usage_date = d::date)
             ORDER BY d
            """, [month.firstDay, month.lastDay]).rows.map { try $0.string("day") }
    }

    /// Per business, the business days of `month` with samples in their opening window but no
    /// computed day (`business_daily`): rate-calc has not run for them yet. Windows come from each
    /// business's own zone and hours, so an overnight window's early-morning samples belong to the
    /// day it opened on.
    public static func missingRateDays(_ db: Connection, month: CalendarMonth, businesses: [Int]) throws -> [Int: [String]] {
        var missing: [Int: [String]] = [:]
        for row in try db.query("""
            SELECT b.id, d::date::text AS day
              FROM business b
             CROSS JOIN generate_series($1::date, $2::date, interval '1 day') AS d
             CROSS JOIN LATERAL business_window(d::date, b.open_time, b.close_time, b.time_zone) w
             WHERE b.id = ANY ($3::int8[])
               AND EXISTS (SELECT 1 FROM status_collection c WHERE c.business_id = b.id AND c.ok AND c.slot >= w.opens AND c.slot < w.closes)
               AND NOT EXISTS (SELECT 1 FROM business_daily bd WHERE bd.business_id = b.id AND bd.business_day = d::date)
             ORDER BY b.id, d
            """, [month.firstDay, month.lastDay, businesses]).rows {
            missing[try row.int("id"), default: []].append(try row.string("day"))
        }
        return missing
    }
}
