import Foundation

/// Which backups may go: only one older than `days` **and** outside the newest `keep` verified
/// backups, and never the newest verified one. Backups without a matching manifest (not ours)
/// are never candidates.
public struct RetentionPolicy: Sendable, Equatable {
    public var days: Int
    public var keep: Int

    public init(days: Int, keep: Int) {
        self.days = days
        self.keep = max(1, keep)
    }

    /// `newVerified`: verified backups about to exist that are newer than all of `entries` (a dry
    /// run plans as if today's backup succeeded).
    public func deletions(_ entries: [BackupEntry], now: Date, newVerified: Int = 0) -> [BackupEntry] {
        let ours = entries.filter(\.isOurs).sorted { $0.name.time > $1.name.time }
        let protected = Set(ours.filter(\.isVerified).prefix(max(0, keep - newVerified)).map(\.name))
        guard !protected.isEmpty || newVerified > 0 else { return [] }
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        return ours.filter { !protected.contains($0.name) && $0.name.time < cutoff }
    }
}
