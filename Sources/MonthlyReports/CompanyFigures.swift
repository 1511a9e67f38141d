import Foundation
import NightshiftCore

/// The lines of a company report's table, shared by its PDF and its CSV so that both say the same.
struct FigureLine {
    var label: String
    var current: Double?
    var previous: Double?
    var decimals = 0

    var change: FigureChange { FigureChange(current: current ?? 0, previous: current == nil ? nil : previous, decimals: decimals) }

    static func shown(_ value: Double?, decimals: Int) -> String { value.map { FigureFormat.number($0, decimals: decimals) } ?? "—" }
}

extension CompanyUsage {
    /// The usage table's lines: the month against the month before.
    var lines: [FigureLine] {
        let now = current, before = previous
        func line(_ label: String, decimals: Int = 0, _ value: (CompanyUsage.Period) -> Double) -> FigureLine {
            FigureLine(label: label, current: now.map(value), previous: before.map(value), decimals: decimals)
        }
        return [
            line("ユーザー数(最大)") { Double($0.usersMax) },
            line("ユーザー数(月末)") { Double($0.usersEnd) },
            line("ユーザー数(日平均)", decimals: 1) { $0.usersAverage },
            line("アクティブユーザー(最大)") { Double($0.activeUsersMax) },
            line("アクティブユーザー(日平均)", decimals: 1) { $0.activeUsersAverage },
            line("エンジニア数(最大)") { Double($0.engineersMax) },
            line("アクティブエンジニア(最大)") { Double($0.activeEngineersMax) },
            line("アプローチ数") { Double($0.approaches) },
            line("メール送信数") { Double($0.emailsSent) },
            line("ログイン数") { Double($0.logins) },
            line("API呼び出し数") { Double($0.apiCalls) },
            line("ストレージ(月末, MB)") { Double($0.storageEndMB) },
            line("集計日数") { Double($0.days) },
        ]
    }
}

extension CompanyReport {
    /// The figure a reader looks for first, checked in the PDF's text: the month's peak of users.
    var headline: String { FigureFormat.number(Double(usage.current?.usersMax ?? 0)) }
}
