import Foundation
import NightshiftCore
import Postgres

/// What a business's working-rate report shows, as stored in `report.figures`: its rates against
/// the month before and a year earlier, where in the week and the day its casts worked, its best
/// casts, the casts who came and went, and how completely it was collected. Every share is a
/// ratio of stored counts, divided only for display.
public struct BusinessReport: Sendable, Equatable, Codable {
    /// A weekday × local-hour cell: the samples (cast-slots listed) in it.
    public struct Cell: Sendable, Equatable, Codable {
        /// ISO weekday of the business day, 1 = Monday.
        public var weekday: Int, hour: Int
        public var samples: Int, onShift: Int, busy: Int
    }

    /// A local time of day a slot starts at: the successful collections at it over the month, and
    /// the casts on shift in them (their mean is `onShift / collections`).
    public struct SlotOfDay: Sendable, Equatable, Codable {
        public var time: String
        public var collections: Int, onShift: Int
        public var meanOnShift: Double { collections == 0 ? 0 : Double(onShift) / Double(collections) }
    }

    public struct CastFigures: Sendable, Equatable, Codable {
        public var name: String
        public var samples: Int, onShift: Int, busy: Int
        public var workingRate: Double? { onShift == 0 ? nil : Double(busy) / Double(onShift) }
    }

    /// A cast and the day it was first (new casts) or last (vanished casts) seen.
    public struct CastDay: Sendable, Equatable, Codable {
        public var name: String, day: String
    }

    public struct CollectionDay: Sendable, Equatable, Codable {
        public var day: String
        public var expectedSlots: Int, okSlots: Int, failed: Int
        public var coverage: Double? { expectedSlots == 0 ? nil : Double(okSlots) / Double(expectedSlots) }
        /// Under 90 %, compared exactly.
        public var isLow: Bool { okSlots * 10 < expectedSlots * 9 }
    }

    public struct FailedCollection: Sendable, Equatable, Codable {
        /// The business day, and the slot's local time (`MM-DD HH:MM`).
        public var day: String, slot: String
        public var httpStatus: Int?, error: String?
    }

    public var businessID: Int
    public var businessName: String
    public var month: String
    public var timeZone: String
    /// Local opening and closing times, `HH:MM`.
    public var opens: String, closes: String
    public var rates: BusinessRates
    public var cells: [Cell] = []
    /// In the order of the business day (from opening).
    public var slots: [SlotOfDay] = []
    public var topCasts: [CastFigures] = []
    public var newCasts: [CastDay] = []
    public var vanishedCasts: [CastDay] = []
    public var collectionDays: [CollectionDay] = []
    public var failedCollections: [FailedCollection] = []

    /// A cast needs this many on-shift samples (5 hours at 30-minute slots) to rank among the top 10.
    public static let topCastMinimumOnShift = 10

    /// `report:business:<id>:<YYYY-MM>`: the dead letter of its computation, and what its mail is about.
    public static func key(_ businessID: Int, _ month: CalendarMonth) -> String { "report:business:\(businessID):\(month)" }

    /// A business due a report for `month`: one with a successful collection inside the month's windows.
    struct Subject: Sendable {
        var id: Int, month: CalendarMonth
        var name: String, timeZone: String, opens: String, closes: String
        var reported: Bool
    }

    /// Businesses (only `ids` when given) after `afterID` that were collected in the windows of
    /// `month`'s days, and whether their report exists already.
    static func subjects(_ db: Connection, month: CalendarMonth, ids: [Int], afterID: Int, limit: Int) throws -> [Subject] {
        try db.query("""
            SELECT b.id, b.name, b.time_zone, to_char(b.open_time, 'HH24:MI') AS opens, to_char(b.close_time, 'HH24:MI') AS closes,
                   EXISTS (SELECT 1 FROM report r WHERE r.kind = 'business' AND r.subject_id = b.id AND r.month = $1::date) AS reported
              FROM business b
             WHERE b.id > $3 AND (cardinality($2::int8[]) = 0 OR b.id = ANY ($2::int8[]))
               AND EXISTS (SELECT 1 FROM status_collection c
                            WHERE c.business_id = b.id AND c.ok
                              AND c.slot >= (business_window($1::date, b.open_time, b.close_time, b.time_zone)).opens
                              AND c.slot < (business_window($4::date, b.open_time, b.close_time, b.time_zone)).closes)
             ORDER BY b.id LIMIT $5
            """, [month.firstDay, ids, afterID, month.lastDay, limit]).rows.map { row in
            Subject(id: try row.int("id"), month: month, name: try row.string("name"), timeZone: try row.string("time_zone"),
                    opens: try row.string("opens"), closes: try row.string("closes"), reported: try row.bool("reported"))
        }
    }

    private static let activitySQL = BundledSQL.load("business_activity", from: .module)
    private static let castsSQL = BundledSQL.load("business_casts", from: .module)
    private static let qualitySQL = BundledSQL.load("business_quality", from: .module)

    /// The reports of a page of businesses: five set-based queries for the whole page.
    static func make(_ db: Connection, month: CalendarMonth, subjects: [Subject]) throws -> [Int: BusinessReport] {
        let ids = subjects.map(\.id)
        let rates = try BusinessRates.load(db, month: month, businesses: ids)
        var reports = Dictionary(uniqueKeysWithValues: subjects.map { subject in
            (subject.id, BusinessReport(businessID: subject.id, businessName: subject.name, month: month.description,
                                        timeZone: subject.timeZone, opens: subject.opens, closes: subject.closes,
                                        rates: rates[subject.id] ?? BusinessRates(businessID: subject.id)))
        })
        for row in try db.query(activitySQL, [month.firstDay, ids]).rows {
            let id = try row.int("business_id")
            if try row.string("kind") == "cell" {
                reports[id]?.cells.append(Cell(weekday: try row.int("weekday"), hour: try row.int("hour"), samples: try row.int("samples"),
                                               onShift: try row.int("on_shift"), busy: try row.int("busy")))
            } else {
                reports[id]?.slots.append(SlotOfDay(time: try row.string("slot_time"), collections: try row.int("collections"),
                                                    onShift: try row.int("on_shift")))
            }
        }
        for row in try db.query(castsSQL, [month.firstDay, ids, month.lastDay, topCastMinimumOnShift]).rows {
            let id = try row.int("business_id"), name = try row.string("name")
            switch try row.string("kind") {
            case "top":
                reports[id]?.topCasts.append(CastFigures(name: name, samples: try row.int("samples"), onShift: try row.int("on_shift"),
                                                         busy: try row.int("busy")))
            case "new": reports[id]?.newCasts.append(CastDay(name: name, day: try row.string("day")))
            default: reports[id]?.vanishedCasts.append(CastDay(name: name, day: try row.string("day")))
            }
        }
        for row in try db.query(qualitySQL, [month.firstDay, ids]).rows {
            let id = try row.int("business_id"), day = try row.string("day")
            if try row.string("kind") == "day" {
                reports[id]?.collectionDays.append(CollectionDay(day: day, expectedSlots: try row.int("expected_slots"),
                                                                 okSlots: try row.int("ok_slots"), failed: try row.int("failed")))
            } else {
                reports[id]?.failedCollections.append(FailedCollection(day: day, slot: try row.string("local_slot"),
                                                                       httpStatus: try row.optionalInt("http_status"),
                                                                       error: try row.optionalString("error")))
            }
        }
        for subject in subjects {
            reports[subject.id]?.slots.sort { $0.offset(from: subject.opens) < $1.offset(from: subject.opens) }
        }
        return reports
    }
}

extension BusinessReport.SlotOfDay {
    /// Minutes after `opens` (`HH:MM`), across midnight: a slot's place in the business day.
    func offset(from opens: String) -> Int { BusinessReport.minutesAfter(opens, time) }
}

extension BusinessReport {
    /// Minutes from `start` to `time` (both `HH:MM`), going forward across midnight.
    static func minutesAfter(_ start: String, _ time: String) -> Int {
        func minutes(_ text: String) -> Int {
            let parts = text.split(separator: ":").compactMap { Int($0) }
            return parts.count >= 2 ? parts[0] * 60 + parts[1] : 0
        }
        return (minutes(time) - minutes(start) + 1440) % 1440
    }

    /// The local hours of the business day in order from the opening hour (an overnight business:
    /// 18 … 23, 0 … 5), those with samples, plus the ones between them.
    var hoursInOrder: [Int] {
        let openHour = Int(opens.prefix(2)) ?? 0
        let offsets = Set(cells.map { ($0.hour - openHour + 24) % 24 })
        guard let last = offsets.max() else { return [] }
        return (0...last).map { (openHour + $0) % 24 }
    }
}
