import Foundation
import NightshiftCore

extension PerformanceAnalysis {
    /// The analysis for a person (the mail, `--verbose`).
    public var text: String {
        func ms(_ value: Int?) -> String { value.map { FigureText.grouped($0) } ?? "—" }
        func week(_ week: JobWeek?) -> String {
            guard let week else { return "no runs" }
            let rate = week.itemsPerSecond.map { String(format: ", %.1f items/s", $0) } ?? ""
            return "\(week.runs) runs, \(week.failures) failed, \(week.partial) partial, p50 \(ms(week.p50MS)) ms, " +
                "p95 \(ms(week.p95MS)) ms, max \(ms(week.maxMS)) ms\(rate)"
        }
        var lines = ["performance from \(from) to \(to)", "", "jobs (this week | the week before):"]
        for job in jobs {
            let flag = job.slower ? String(format: "  SLOWER: median +%.0f%%", (job.slowdown ?? 0) * 100) : ""
            lines.append("  \(job.job)\(flag)")
            lines.append("    \(week(job.current)) | \(week(job.previous))")
        }
        lines += ["", "slowest statements:"]
        if let note = statementsNote {
            lines.append("  " + note)
        } else {
            for (title, statements) in [("by total time", slowestByTotal ?? []), ("by mean time", slowestByMean ?? [])] {
                lines.append("  \(title):")
                for statement in statements {
                    lines.append(String(format: "    %10.1f ms total  %8.2f ms mean  %8d calls  %@", statement.totalMS, statement.meanMS,
                                        statement.calls, statement.query))
                }
            }
        }
        lines += ["", "largest tables:"]
        for table in tables {
            let size = ByteCountFormatter.string(fromByteCount: table.bytes, countStyle: .binary)
            let growth = table.growth.map { ($0 >= 0 ? " (+" : " (−") + ByteCountFormatter.string(fromByteCount: abs($0), countStyle: .binary) +
                " since the last analysis)" } ?? ""
            lines.append("  \(table.name): \(size)\(growth)")
        }
        lines += ["", "API calls by company (top 10):"]
        lines += apiCalls.isEmpty ? ["  none"] : apiCalls.map { "  \($0.name) (\($0.companyID)): \(FigureText.grouped($0.apiCalls))" }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
