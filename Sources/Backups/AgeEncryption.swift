import Foundation
import NightshiftCore

/// Encryption with `age` to a public key: the host making backups holds no private key.
struct AgeEncryption {
    let executable: String

    func locate() throws -> String {
        guard let path = ChildProcess.locate(executable) else {
            throw ConfigurationError(key: "backup.age", source: executable.contains("/") ? "path \(executable)" : "PATH lookup of \(executable)",
                                     expected: "the age executable (Debian package age), needed for backup.age_recipient")
        }
        return path
    }

    func encrypt(_ input: String, to output: String, recipient: String) throws {
        let result = try ChildProcess.run(try locate(), ["--encrypt", "--recipient", recipient, "--output", output, input])
        if !result.succeeded { throw ClientTools.ToolFailure(tool: "age --encrypt", status: result.status, stderr: result.stderr) }
    }

    func decrypt(_ input: String, to output: String, identity: String) throws {
        let result = try ChildProcess.run(try locate(), ["--decrypt", "--identity", identity, "--output", output, input])
        if !result.succeeded { throw ClientTools.ToolFailure(tool: "age --decrypt", status: result.status, stderr: result.stderr) }
    }
}
