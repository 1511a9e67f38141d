/// Every configuration key the suite reads (docs/operations.md's configuration table, kept equal to it by
/// a test), so a typo in a config file — `retention_dayz` — is reported instead of silently
/// leaving the default in force.
public enum ConfigKeys {
    static let retryFields = ["strategy", "max_attempts", "base_delay_ms", "max_delay_ms", "jitter"]
    static let retryBlocks = ["database.retry", "status_collection.retry", "smtp.retry"]

    public static let documented: [String] = [
        "database.url", "log.level", "log.dir", "log.max_bytes", "log.keep", "batch.environment", "timezone",
        "status_collection.interval", "history_calculation.interval", "status_collection.buffer_minutes",
        "status_collection.concurrency", "status_collection.per_host_connections", "status_collection.per_host_delay_ms",
        "status_collection.connect_timeout_ms", "status_collection.timeout_ms", "status_collection.max_page_bytes",
        "status_collection.allow_file_urls", "status_collection.user_agent", "status_collection.sites_dir",
        "rate_calc.ready_buffer_minutes", "rate_calc.lookback_days", "usage_aggregate.lookback_days",
        "invoice.issuer.name", "invoice.issuer.address", "invoice.issuer.registration_number", "invoice.issuer.check_digit",
        "invoice.proration", "invoice.tax_rate_percent", "invoice.due_days", "invoice.number_prefix", "invoice.send",
        "smtp.url", "smtp.starttls", "smtp.username", "smtp.password", "smtp.from", "smtp.from_name",
        "smtp.connect_timeout_seconds", "smtp.timeout_seconds", "smtp.ca_file", "output.dir", "templates.dir",
        "monthly_report.operator_emails",
        "backup.dir", "backup.retention_days", "backup.keep_count", "backup.jobs", "backup.verify_restore_every",
        "backup.pg_dump", "backup.pg_restore", "backup.age_recipient", "backup.age", "backup.copy_dir",
        "backup.copy_retention_days", "backup.copy_keep_count",
        "retention.status_months", "maintenance.partitions_ahead", "maintenance.archive_dir", "maintenance.archive_keep_months",
        "maintenance.lock_timeout_ms", "retention.ledger_days", "retention.outbox_days", "retention.tables",
        "log.archive_after_days", "log.archive_keep_days", "maintenance.analyze_changed_percent", "maintenance.vacuum_dead_percent",
        "maintenance.reindex_bloat_percent", "maintenance.reindex_min_mb", "maintenance.health_skip", "maintenance.report_emails",
        "maintenance.slower_percent",
        "watch.alert_emails", "watch.webhook_url", "watch.heartbeat_url", "watch.repeat_minutes", "watch.dead_letter_threshold",
        "watch.backup_max_age_hours", "watch.skip", "watch.notify_backlog_threshold", "metrics.textfile", "metrics.pushgateway_url",
        "engineer_status.soon_days",
        "notify.batch_size", "notify.max_attempts", "notify.backoff_base_seconds", "notify.backoff_max_seconds", "notify.lease_seconds",
    ]

    public static let all: Set<String> = Set(documented + retryBlocks.flatMap { block in retryFields.map { "\(block).\($0)" } })

    public static func isKnown(_ key: String) -> Bool { all.contains(key) }

    /// The known key closest to `key` by edit distance, when it is close enough to be a typo.
    public static func nearest(to key: String) -> String? {
        let scored = all.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let (best, score) = scored, score <= max(2, key.count / 4) else {
            // A key in the wrong section (`retention_days` at the top): the same last part.
            let last = key.split(separator: ".").last.map(String.init) ?? key
            return all.sorted().first { $0.hasSuffix("." + last) }
        }
        return best
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
