import ArgumentParser
import Foundation
import NightshiftCore
import OperatorTools

/// Where the install is, for the commands that print its schedule.
func installHome() throws -> String {
    guard let home = InstallPaths.home else {
        Console.writeStderr("nightshift: cannot find the suite's install (its crontab file) above \(InstallPaths.binDirectory)")
        throw ExitCode(ExitStatus.failed.rawValue)
    }
    return home
}

/// The install's configuration in effect, its warnings on stderr.
func installConfig(home: String, option: String?, command: String) async throws -> InstallConfig {
    let install = try await InstallConfig.resolve(home: home, configOption: option, environment: ProcessInfo.processInfo.environment)
    for warning in install.warnings { Console.writeStderr("nightshift \(command): warning: \(warning)") }
    return install
}

public struct NightshiftSystemd: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "systemd", abstract: "Write a .service and .timer per job (from the job registry) into a directory.",
        discussion: "Install: copy the files to /etc/systemd/system, `systemctl daemon-reload`, then "
            + "`systemctl enable --now nightshift-<job>.timer` for each (or all: `systemctl enable --now 'nightshift-*.timer'`).")
    @Argument(help: "Directory to write the unit files to (created if missing).") public var directory: String
    @Option(help: "Config file the jobs should use (default: NIGHTSHIFT_CONFIG, else config.json in the install).")
    public var config: String?
    @Option(help: "The user the jobs run as.") public var user = "nightshift"

    public func run() async throws {
        let home = try installHome()
        try await operate {
            let install = try await installConfig(home: home, option: config, command: "systemd")
            let units = SystemdUnits(binDirectory: InstallPaths.binDirectory, home: home, configPath: install.path, user: user,
                                     timeZone: try install.timeZone)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for file in try units.files() {
                try DurableFiles.write(Data(file.text.utf8), to: "\(directory)/\(file.name)", mode: 0o644)
            }
        }
    }
}

public struct NightshiftKubernetes: AsyncParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "kubernetes", abstract: "Print a CronJob per job (from the job registry) and the config's ConfigMap, as YAML.",
        discussion: "Apply with `kubectl apply -f`. Create the Secret first: `kubectl create secret generic nightshift-secrets "
            + "--from-literal=DATABASE_URL=… --from-literal=SMTP_PASSWORD=…`, and a PersistentVolumeClaim `nightshift-data` "
            + "for documents and backups. The config file goes into the ConfigMap as it is: keep secrets out of it.")
    @Option(help: "Config file for the ConfigMap and the time zone (default: NIGHTSHIFT_CONFIG, else config.json in the install).")
    public var config: String?
    @Option(help: "Container image (built from the Containerfile).") public var image = "nightshift:latest"
    @Option(help: "Namespace.") public var namespace = "nightshift"

    public func run() async throws {
        let home = try installHome()
        try await operate {
            let install = try await installConfig(home: home, option: config, command: "kubernetes")
            let manifests = KubernetesManifests(image: image, namespace: namespace, timeZone: try install.timeZone,
                                                configJSON: install.fileText)
            print(manifests.yaml(), terminator: "")
        }
    }
}
