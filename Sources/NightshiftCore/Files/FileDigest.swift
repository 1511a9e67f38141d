import CLibCrypto
import Foundation

/// SHA-256 of what is on disk, read in chunks so memory stays flat whatever the size.
public enum FileDigest {
    /// Hex SHA-256 of a file.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DurableFiles.Failure(path: path, operation: "open", code: errno)
        }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(chunk)
        }
        return hex(hasher.finalize())
    }

    /// SHA-256 of a directory: the digest of its `sha256sum`-style listing ("<hex>  <name>\n" per
    /// file, sorted by name), so `cd DIR && sha256sum * | sha256sum` gives the same value.
    public static func sha256(ofDirectory path: String) throws -> (digest: String, files: [(name: String, sha256: String)]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let files = try names.map { (name: $0, sha256: try sha256(ofFile: "\(path)/\($0)")) }
        let listing = files.map { "\($0.sha256)  \($0.name)\n" }.joined()
        let hasher = SHA256Hasher()
        hasher.update(Data(listing.utf8))
        return (hex(hasher.finalize()), files)
    }

    /// The digest of a file or a directory.
    public static func sha256(of path: String) throws -> String {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return isDirectory.boolValue ? try sha256(ofDirectory: path).digest : try sha256(ofFile: path)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}

/// Streaming SHA-256 by OpenSSL's libcrypto (EVP); the context never leaves this type.
final class SHA256Hasher {
    private let context: OpaquePointer

    init() {
        context = EVP_MD_CTX_new()
        precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1, "OpenSSL has no SHA-256")
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ data: Data) {
        data.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
    }

    func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &digest, &length)
        return Array(digest.prefix(Int(length)))
    }
}
