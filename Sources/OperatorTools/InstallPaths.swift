import Foundation
import NightshiftCore

/// Where this install lives, worked out from the running executable.
public enum InstallPaths {
    public static var binDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().standardizedFileURL.path
    }

    /// The nearest directory above the executables holding the suite's `crontab` file.
    public static var home: String? {
        var url = URL(fileURLWithPath: binDirectory)
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("crontab").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }
}
