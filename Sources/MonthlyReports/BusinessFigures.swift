import Foundation
import NightshiftCore

/// A line of the business report's rates table — the month, the month before, a year earlier —
/// shared by its PDF and its CSV so that both say the same. Rates show as percentages and change
/// in points; counts change by their difference; "—" where a period has no data.
struct RateLine {
    var label: String
    var isRate: Bool
    var current: Double?, previous: Double?, yearAgo: Double?

    var shownCurrent: String { Self.shown(current, isRate) }
    var shownPrevious: String { Self.shown(previous, isRate) }
    var shownYearAgo: String { Self.shown(yearAgo, isRate) }
    var changeFromPrevious: String { change(from: previous) }
    var changeFromYearAgo: String { change(from: yearAgo) }

    func change(from base: Double?) -> String {
        guard let current, let base else { return "—" }
        return isRate ? FigureChange.signed((current - base) * 100, decimals: 1) + "pt" : FigureChange.signed(current - base, decimals: 0)
    }

    static func shown(_ value: Double?, _ isRate: Bool) -> String {
        guard let value else { return "—" }
        return isRate ? percent(value) : FigureFormat.number(value)
    }

    static func percent(_ share: Double) -> String { FigureFormat.number(share * 100, decimals: 1) + "%" }

    /// For spreadsheets: rates as percentages with two decimals, counts whole; empty for no data.
    static func plain(_ value: Double?, _ isRate: Bool) -> String {
        guard let value else { return "" }
        return isRate ? String(format: "%.2f", value * 100) : String(Int(value))
    }
}

extension BusinessReport {
    var rateLines: [RateLine] {
        func line(_ label: String, rate: Bool = false, _ value: (BusinessRates.Period) -> Double?) -> RateLine {
            RateLine(label: label, isRate: rate, current: rates.current.flatMap(value), previous: rates.previous.flatMap(value),
                     yearAgo: rates.yearAgo.flatMap(value))
        }
        return [
            line("出勤率", rate: true) { $0.attendanceRate },
            line("稼働率", rate: true) { $0.workingRate },
            line("収集率", rate: true) { $0.coverage },
            line("営業日数") { Double($0.days) },
            line("サンプル数(掲載キャスト×収集回)") { Double($0.samples) },
            line("出勤サンプル数") { Double($0.onShiftSamples) },
            line("接客サンプル数") { Double($0.busySamples) },
            line("最大同時出勤数") { Double($0.peakOnShift) },
        ]
    }

    /// The figure a reader looks for first, checked in the PDF's text: the month's working rate.
    var headline: String { RateLine.shown(rates.current?.workingRate, true) }

    static let weekdays = ["月", "火", "水", "木", "金", "土", "日"]

    /// Weekday × hour shares: `share(cell)` or nil where a cell has no denominator.
    func grid(_ share: (Cell) -> Double?) -> (rows: [String], columns: [String], values: [[Double?]]) {
        let hours = hoursInOrder
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: hours.count), count: 7)
        let column = Dictionary(uniqueKeysWithValues: hours.enumerated().map { ($1, $0) })
        for cell in cells { if let index = column[cell.hour] { values[cell.weekday - 1][index] = share(cell) } }
        return (Self.weekdays, hours.map(String.init), values)
    }

    /// Daily shares of the month (index 0 is the 1st) from a period's daily counts.
    static func daily(_ period: BusinessRates.Period?, _ numerator: (BusinessRates.Period) -> [Int?],
                      _ denominator: (BusinessRates.Period) -> [Int?]) -> [Double?] {
        guard let period else { return [] }
        return zip(numerator(period), denominator(period)).map { top, bottom in
            guard let top, let bottom, bottom > 0 else { return nil }
            return Double(top) / Double(bottom) * 100
        }
    }
}
