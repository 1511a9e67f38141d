import Foundation
import NightshiftCore

extension SummaryReport {
    public func render(_ format: Format) -> String {
        switch format {
        case .text: return text
        case .json: return json
        case .csv: return csv
        }
    }

    /// One decimal place, rounded half up from the exact decimal (display only).
    static func oneDecimal(_ value: Decimal) -> String {
        var scaled = value * 10, rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let tenths = NSDecimalNumber(decimal: rounded).intValue
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    static func percent(_ value: Decimal?) -> String {
        guard let value else { return "-" }
        return oneDecimal(value * 100) + "%"
    }

    /// Difference in percentage points, signed.
    static func change(_ now: Decimal?, _ before: Decimal?) -> Decimal? {
        guard let now, let before else { return nil }
        return now - before
    }

    static func points(_ value: Decimal?) -> String {
        guard let value else { return "-" }
        return (value >= 0 ? "+" : "") + oneDecimal(value * 100) + " pt"
    }

    var text: String {
        var lines = ["\(businessName) (business \(businessID)): \(current.from) – \(current.to), compared with \(previous.from) – \(previous.to)",
                     ""]
        let rows: [(String, String, String, String)] = [
            ("attendance rate", Self.percent(current.attendanceRate), Self.percent(previous.attendanceRate),
             Self.points(Self.change(current.attendanceRate, previous.attendanceRate))),
            ("working rate", Self.percent(current.workingRate), Self.percent(previous.workingRate),
             Self.points(Self.change(current.workingRate, previous.workingRate))),
            ("days with data", "\(current.daysCovered)", "\(previous.daysCovered)", "\(current.daysCovered - previous.daysCovered)"),
            ("mean coverage", Self.percent(current.meanCoverage), Self.percent(previous.meanCoverage),
             Self.points(Self.change(current.meanCoverage, previous.meanCoverage))),
        ]
        lines.append(TextTable(headers: ["", "this period", "previous", "change"], rightAligned: [1, 2, 3])
            .render(rows.map { [$0.0, $0.1, $0.2, $0.3] }, indent: "  "))
        lines.append("")
        if topCasts.isEmpty {
            lines.append("  no cast was on shift in this period")
        } else {
            lines.append("  top casts by working rate")
            lines.append(TextTable(headers: ["#", "cast", "working rate", "busy / on shift", "on shift"], rightAligned: [0, 2, 3, 4])
                .render(topCasts.enumerated().map { index, cast in
                    ["\(index + 1)", cast.name, Self.percent(cast.workingRate), "\(cast.busySamples) / \(cast.onShiftSamples) samples",
                     counted(cast.daysOnShift, "day")]
                }, indent: "  "))
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        func number(_ value: Decimal?) -> String { value.map { "\($0)" } ?? "null" }
        func period(_ p: Period) -> String {
            "{\"from\":\"\(p.from)\",\"to\":\"\(p.to)\",\"attendance_rate\":\(number(p.attendanceRate)),"
                + "\"working_rate\":\(number(p.workingRate)),\"days_covered\":\(p.daysCovered),\"mean_coverage\":\(number(p.meanCoverage))}"
        }
        let casts = topCasts.enumerated().map { index, cast in
            "{\"rank\":\(index + 1),\"cast_id\":\(cast.castID),\"name\":\(jsonQuoted(cast.name)),\"days_on_shift\":\(cast.daysOnShift),"
                + "\"on_shift_samples\":\(cast.onShiftSamples),\"busy_samples\":\(cast.busySamples),\"working_rate\":\(cast.workingRate)}"
        }
        return "{\"business_id\":\(businessID),\"business\":\(jsonQuoted(businessName)),\"data\":true,"
            + "\"current\":\(period(current)),\"previous\":\(period(previous)),"
            + "\"change\":{\"attendance_rate\":\(number(Self.change(current.attendanceRate, previous.attendanceRate))),"
            + "\"working_rate\":\(number(Self.change(current.workingRate, previous.workingRate)))},"
            + "\"top_casts\":[\(casts.joined(separator: ","))]}"
    }

    /// Two CSV tables separated by a blank line: the period figures, then the ranking.
    var csv: String {
        func cell(_ value: Decimal?) -> String { value.map { "\($0)" } ?? "" }
        var lines = ["metric,current,previous,change",
                     "attendance_rate,\(cell(current.attendanceRate)),\(cell(previous.attendanceRate)),\(cell(Self.change(current.attendanceRate, previous.attendanceRate)))",
                     "working_rate,\(cell(current.workingRate)),\(cell(previous.workingRate)),\(cell(Self.change(current.workingRate, previous.workingRate)))",
                     "days_covered,\(current.daysCovered),\(previous.daysCovered),\(current.daysCovered - previous.daysCovered)",
                     "mean_coverage,\(cell(current.meanCoverage)),\(cell(previous.meanCoverage)),\(cell(Self.change(current.meanCoverage, previous.meanCoverage)))",
                     "",
                     "rank,cast_id,name,days_on_shift,on_shift_samples,busy_samples,working_rate"]
        for (index, cast) in topCasts.enumerated() {
            let name = "\"" + cast.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            lines.append("\(index + 1),\(cast.castID),\(name),\(cast.daysOnShift),\(cast.onShiftSamples),\(cast.busySamples),\(cast.workingRate)")
        }
        return lines.joined(separator: "\n")
    }
}
