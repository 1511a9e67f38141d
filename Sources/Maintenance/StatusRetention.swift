import Backups
import Foundation
import NightshiftCore
import Postgres

/// The growth of the sample tables: month partitions kept created ahead, and old months archived
/// and dropped once nothing is lost by it — older than `retention.status_months`, every business
/// day they hold computed by rate-calc (its aggregates stay for ever), and archived.
struct StatusRetention {
    struct Creation: Sendable { var parent: String, month: CalendarMonth }

    /// A month old enough to go, and why it must stay when it must.
    struct OldMonth: Sendable {
        var month: CalendarMonth
        var partitions: [MonthPartition]
        /// Per business, the business days with samples that rate-calc has not computed.
        var uncomputed: [Int: [String]]
        var keptBecause: String? {
            guard let (business, days) = uncomputed.min(by: { $0.key < $1.key }) else { return nil }
            let count = uncomputed.values.map(\.count).reduce(0, +)
            return "\(count) business day\(count == 1 ? "" : "s") not computed by rate-calc (business \(business): " +
                "\(days.prefix(3).joined(separator: ", "))\(days.count > 3 ? " …" : "")); run rate-calc --business-id \(business) " +
                "--from \(days.first!) --to \(days.last!)"
        }
    }

    static let createStep = ItemStep<Creation>(name: "partition", failureMessage: "cannot create a month partition",
                                               keys: { ["partition:\(MonthPartition.name($0.parent, $0.month))"] },
                                               label: { "partition \(MonthPartition.name($0.parent, $0.month))" })
    static let archiveStep = ItemStep<MonthPartition>(name: "archive", failureMessage: "month partition kept: its archive failed",
                                                      keys: { ["archive:\($0.name)"] }, label: { "archive of \($0.name)" },
                                                      fields: { ["table": .string($0.name)] }, isRepeatable: false)

    let settings: MaintenanceSettings
    let context: JobContext
    /// The current month in UTC, as the partitions count months.
    let current: CalendarMonth

    /// The partitions missing from this month to `partitions_ahead` months ahead, and those of
    /// the months a default partition caught rows of (samples loaded for a past month, a clock
    /// far ahead): creating them moves those rows in.
    func missing() throws -> [Creation] {
        let existing = Set(try MonthPartition.list(context.db).map(\.name))
        var wanted = (0...settings.partitionsAhead).flatMap { offset in
            MonthPartition.parents.map { Creation(parent: $0, month: current.advanced(by: offset)) }
        }
        for parent in MonthPartition.parents {
            for month in try MonthPartition.strayMonths(context.db, parent: parent) where !wanted.contains(where: {
                $0.parent == parent && $0.month == month }) {
                wanted.append(Creation(parent: parent, month: month))
            }
        }
        return wanted.filter { !existing.contains(MonthPartition.name($0.parent, $0.month)) }
    }

    /// Returns how many were created.
    func createAhead(into summary: inout JobSummary) throws -> Int {
        let missing = try missing()
        guard !context.isDryRun else {
            for creation in missing { context.report("would create \(MonthPartition.name(creation.parent, creation.month))") }
            return 0
        }
        let created = try context.run(Self.createStep, missing, into: &summary) { creation in
            _ = try MonthPartition.ensure(context.db, parent: creation.parent, month: creation.month)
        }
        summary.metadata["partitions_created"] = .int(created.ok)
        return created.ok
    }

    /// The months older than the retention, with their partitions and what keeps them.
    func oldMonths() throws -> [OldMonth] {
        let cutoff = current.advanced(by: -settings.statusRetentionMonths)
        let old = try MonthPartition.list(context.db).filter { $0.month < cutoff }
        var months: [OldMonth] = []
        for month in Set(old.map(\.month.description)).sorted().compactMap(CalendarMonth.init) {
            let partitions = old.filter { $0.month == month }
            let collections = partitions.first { $0.parent == "status_collection" }
            months.append(OldMonth(month: month, partitions: partitions,
                                   uncomputed: try collections.map { try Self.uncomputedDays(context.db, collections: $0.name) } ?? [:]))
        }
        return months
    }

    /// Business days with a successful collection in `collections` (a month partition) that have
    /// no `business_daily` row. A slot belongs to the day whose opening window holds it.
    static func uncomputedDays(_ db: Connection, collections: String) throws -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        for row in try db.query("""
            SELECT c.business_id, d.day::text AS day
              FROM \(Identifier.quoted(collections)) c
              JOIN business b ON b.id = c.business_id
             CROSS JOIN LATERAL (SELECT ((c.slot AT TIME ZONE b.time_zone) - b.open_time)::date AS day) d
             CROSS JOIN LATERAL business_window(d.day, b.open_time, b.close_time, b.time_zone) w
             WHERE c.ok AND c.slot >= w.opens AND c.slot < w.closes
               AND NOT EXISTS (SELECT 1 FROM business_daily bd WHERE bd.business_id = c.business_id AND bd.business_day = d.day)
             GROUP BY 1, 2 ORDER BY 1, 2
            """).rows {
            result[try row.int("business_id"), default: []].append(try row.string("day"))
        }
        return result
    }

    /// Archives and drops the old months nothing keeps; reports the ones kept and why. Returns the
    /// partitions dropped and the months kept.
    func archiveOld(into summary: inout JobSummary) throws -> (dropped: Int, kept: Int) {
        let months = try oldMonths()
        var kept: [String] = []
        var ready: [MonthPartition] = []
        for month in months {
            if let reason = month.keptBecause {
                kept.append("\(month.month): \(reason)")
                context.logger.warning("an old month partition is kept", metadata: ["month": .string(month.month.description),
                                                                                    "reason": .string(reason)])
            } else {
                ready += month.partitions
            }
        }
        summary.metadata["months_kept"] = .int(kept.count)
        guard !context.isDryRun else {
            for partition in ready { context.report("would archive and drop \(partition.name)") }
            for line in kept { context.report("keeps \(line)") }
            return (0, kept.count)
        }
        guard !ready.isEmpty, let runID = context.runID else { return (0, kept.count) }
        let database = try context.db.query("SELECT current_database() AS db").first!.string("db")
        let tools = try ClientTools.locate(settings.tools)
        let archiver = PartitionArchiver(db: context.db, tools: tools, connection: ClientConnection(databaseURL: context.settings.databaseURL),
                                         directory: "\(settings.archiveDirectory)/\(database)", lockTimeoutMS: settings.lockTimeoutMS,
                                         runID: runID, now: context.clock.now)
        let archived = try context.run(Self.archiveStep, ready, into: &summary) { partition in
            let manifest = try archiver.archiveAndDrop(partition)
            context.logger.info("archived and dropped a month partition", metadata: [
                "table": .string(partition.name), "rows": .int(Int(manifest.rows)), "path": .string(archiver.path(of: partition))])
        }
        summary.metadata["partitions_dropped"] = .int(archived.ok)
        return (archived.ok, kept.count)
    }

    static let pruneStep = ItemStep<String>(name: "prune_archive", failureMessage: "cannot delete an expired archive",
                                            keys: { ["prune:\($0)"] }, label: { "expired archive \($0)" })

    /// Deletes the archives (and manifests) of months older than `maintenance.archive_keep_months`.
    func pruneArchives(into summary: inout JobSummary) throws {
        guard settings.archiveKeepMonths > 0 else { return }
        let cutoff = current.advanced(by: -settings.archiveKeepMonths)
        let database = try context.db.query("SELECT current_database() AS db").first!.string("db")
        let directory = "\(settings.archiveDirectory)/\(database)"
        let expired = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { file in
            guard file.hasSuffix(".dump"), let month = Self.month(ofArchive: file) else { return false }
            return month < cutoff
        }.sorted().map { "\(directory)/\($0)" }
        guard !context.isDryRun else {
            for path in expired { context.report("would delete the expired archive \(path)") }
            return
        }
        try context.run(Self.pruneStep, expired, into: &summary) { path in
            try DurableFiles.remove(path + PartitionArchiver.manifestSuffix)
            try DurableFiles.remove(path)
        }
    }

    /// 2025-10 from `status_p2025_10.dump`.
    static func month(ofArchive file: String) -> CalendarMonth? {
        let stem = file.replacingOccurrences(of: ".dump", with: "")
        guard let range = stem.range(of: "_p", options: .backwards) else { return nil }
        return CalendarMonth(stem[range.upperBound...].replacingOccurrences(of: "_", with: "-"))
    }
}
