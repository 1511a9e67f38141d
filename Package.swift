// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Nightshift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "status-collect", targets: ["status-collect"]),
        .executable(name: "nightshift", targets: ["nightshift"]),
        .executable(name: "rate-calc", targets: ["rate-calc"]),
        .executable(name: "backup", targets: ["backup"]),
        .executable(name: "usage-aggregate", targets: ["usage-aggregate"]),
        .executable(name: "invoice", targets: ["invoice"]),
        .executable(name: "monthly-report", targets: ["monthly-report"]),
        .executable(name: "maintenance", targets: ["maintenance"]),
        .executable(name: "notify", targets: ["notify"]),
        .executable(name: "engineer-status", targets: ["engineer-status"]),
        .executable(name: "approach-delivery", targets: ["approach-delivery"]),
    ],
    // Exact versions: an application builds what it was tested with (Package.resolved cannot be
    // committed here). swift-system is imported directly (FilePath for swift-configuration).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", exact: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        // The Swift ecosystem's logging API (swift-configuration brings it already); the suite's
        // JSON-lines files are its handler.
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // Operator-editable texts of documents and mails (logic-less, no dependencies of its own).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // The reports' CSV files (quoting by RFC 4180; its reader parses them back in tests).
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        // The Prometheus exposition format (`nightshift metrics`, the textfile) from the Swift server
        // ecosystem's client rather than by hand: names, labels, escaping and histograms as Prometheus reads them.
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        // C shims: one system library each, found through pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        // SHA-256 of backups and PDFs: the system's OpenSSL (libcurl already links it).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // fork + exec of child programs that die with their parent (libc only).
        .target(name: "CSpawn"),

        // Thin safe wrappers: no C pointer leaves these modules.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "Web", dependencies: ["CCurl", "CLibXML2"]),

        // The shared core every command stands on.
        .target(
            name: "NightshiftCore",
            dependencies: [
                "Postgres", "CSpawn", "CLibCrypto",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations")]
        ),

        // The suite's mail: SMTP through libcurl (no C pointer leaves it), its settings, and the
        // outbox every job sends through.
        .target(name: "Mail", dependencies: ["CCurl", "NightshiftCore", "Postgres"], resources: [.copy("Migrations")]),

        // Documents for any job: PDFs drawn with cairo + pango and read back with poppler (no C
        // pointer leaves it), the render-and-check pipeline, operator-editable templates.
        .target(name: "Documents", dependencies: ["CPangoCairo", "CPoppler", "NightshiftCore",
                                                  .product(name: "Mustache", package: "swift-mustache")]),

        // One module per job's domain logic, each with the migrations of the tables it owns.
        .target(name: "StatusCollection", dependencies: ["NightshiftCore", "Postgres", "Web"],
                resources: [.copy("Sites"), .copy("Migrations")]),

        .target(name: "WorkingRates", dependencies: ["NightshiftCore", "Postgres"], resources: [.copy("SQL"), .copy("Migrations")]),

        .target(name: "Backups", dependencies: ["NightshiftCore", "Postgres"]),
        .target(name: "UsageAggregation", dependencies: ["NightshiftCore", "Postgres"], resources: [.copy("SQL")]),
        .target(name: "Invoicing", dependencies: ["NightshiftCore", "Postgres", "Documents", "Mail"],
                resources: [.copy("Migrations")]),
        .target(name: "MonthlyReports", dependencies: ["NightshiftCore", "Postgres", "Documents", "Mail",
                                                       .product(name: "CSV", package: "CSV.swift")],
                resources: [.copy("SQL"), .copy("Migrations")]),
        .target(name: "Maintenance", dependencies: ["NightshiftCore", "Postgres", "Backups", "Mail"], resources: [.copy("Migrations")]),
        .target(name: "EngineerStatus", dependencies: ["NightshiftCore", "Postgres"], resources: [.copy("Migrations")]),
        .target(name: "ApproachDelivery", dependencies: ["NightshiftCore", "Postgres", "Mail", "Documents"], resources: [.copy("Migrations")]),
        .target(name: "Notifications", dependencies: ["NightshiftCore", "Postgres", "Mail", "Documents"], resources: [.copy("Migrations")]),
        // The operations layer: watch (schedules, ledger and data against the registry), alerts and
        // their delivery, metrics, the status page.
        .target(name: "Operations", dependencies: ["NightshiftCore", "Postgres", "Mail", "Web", "Backups", "StatusCollection",
                                                   .product(name: "Prometheus", package: "swift-prometheus")],
                resources: [.copy("Migrations")]),

        // The command layer: option groups shared by every executable, and `run()` written once.
        .target(name: "Commands", dependencies: [
            "NightshiftCore", "StatusCollection", "WorkingRates", "Backups", "UsageAggregation", "Invoicing", "MonthlyReports", "Maintenance", "Mail",
            "OperatorTools", "Operations", "Notifications", "EngineerStatus", "ApproachDelivery",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The operator's tool: migrate, check, runs, failures, crontab.
        .target(name: "OperatorTools", dependencies: ["NightshiftCore", "Postgres"]),

        // Executables: main.swift only (their commands are in Commands).
        .executableTarget(name: "status-collect", dependencies: ["Commands"]),
        .executableTarget(name: "rate-calc", dependencies: ["Commands"]),
        .executableTarget(name: "backup", dependencies: ["Commands"]),
        .executableTarget(name: "usage-aggregate", dependencies: ["Commands"]),
        .executableTarget(name: "invoice", dependencies: ["Commands"]),
        .executableTarget(name: "monthly-report", dependencies: ["Commands"]),
        .executableTarget(name: "maintenance", dependencies: ["Commands"]),
        .executableTarget(name: "notify", dependencies: ["Commands"]),
        .executableTarget(name: "engineer-status", dependencies: ["Commands"]),
        .executableTarget(name: "approach-delivery", dependencies: ["Commands"]),
        .executableTarget(name: "nightshift", dependencies: ["Commands"]),

        .target(name: "TestSupport", dependencies: ["NightshiftCore", "Postgres", "Commands"], path: "Tests/Support",
                exclude: ["fixture_server.py", "smtp_sink.py"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "TestSupport"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "NightshiftCore", "TestSupport"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "TestSupport"]),
        .testTarget(name: "NightshiftCoreTests", dependencies: ["NightshiftCore", "TestSupport"]),
        .testTarget(name: "StatusCollectionTests", dependencies: ["StatusCollection", "Commands", "TestSupport"]),
        .testTarget(name: "WorkingRatesTests", dependencies: ["WorkingRates", "Commands", "TestSupport"]),
        .testTarget(name: "BackupsTests", dependencies: ["Backups", "TestSupport"]),
        .testTarget(name: "UsageAggregationTests", dependencies: ["UsageAggregation", "TestSupport"]),
        .testTarget(name: "InvoicingTests", dependencies: ["Invoicing", "Commands", "TestSupport"]),
        .testTarget(name: "MonthlyReportsTests", dependencies: ["MonthlyReports", "Documents", "TestSupport",
                                                              .product(name: "CSV", package: "CSV.swift")]),
        .testTarget(name: "MaintenanceTests", dependencies: ["Maintenance", "Commands", "TestSupport"]),
        .testTarget(name: "OperatorToolsTests", dependencies: ["OperatorTools", "Commands", "TestSupport"]),
        .testTarget(name: "EngineerStatusTests", dependencies: ["EngineerStatus", "TestSupport"]),
        .testTarget(name: "ApproachDeliveryTests", dependencies: ["ApproachDelivery", "TestSupport"]),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications", "Commands", "TestSupport"]),
        .testTarget(name: "OperationsTests", dependencies: ["Operations", "Commands", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
