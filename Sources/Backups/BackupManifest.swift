import Foundation
import NightshiftCore

/// The JSON file beside each backup: what it holds, how it was made, and how it was checked.
public struct BackupManifest: Codable, Sendable, Equatable {
    public struct Table: Codable, Sendable, Equatable {
        public var schema: String
        public var name: String
        /// pg_class.reltuples at dump time; nil when the table was never analyzed.
        public var rowEstimate: Int64?
        /// Exact count from the dump's own snapshot, when a restore verification needed it.
        public var rows: Int64?
        public var qualifiedName: String { "\(schema).\(name)" }
    }

    public struct StoredFile: Codable, Sendable, Equatable {
        public var name: String
        public var sizeBytes: Int64
        public var sha256: String
    }

    public struct Verification: Codable, Sendable, Equatable {
        public enum Level: String, Codable, Sendable { case list, restore }
        public var level: Level
        public var passed: Bool
        public var checkedAt: Date
        public var detail: String
    }

    public var formatVersion = 1
    public var file: String
    public var database: String
    public var format: BackupName.Format
    public var jobs: Int
    public var serverVersion: String
    public var pgDumpVersion: String
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date
    public var sizeBytes: Int64
    /// Of what is on disk under `file` (for a directory: the digest of its sha256sum listing).
    public var sha256: String
    /// Set when encrypted: the digest of the plaintext dump that was verified before encryption.
    public var plaintextSha256: String?
    public var files: [StoredFile]?
    public var encrypted: Bool
    public var ageRecipient: String?
    public var tableCount: Int
    public var tables: [Table]
    /// The check made when the backup was taken.
    public var verification: Verification
    /// The latest check by `backup verify`, when one was made.
    public var lastCheck: Verification?

    /// Usable for retention counting: made verified, and no later check found it broken.
    public var isVerified: Bool { verification.passed && (lastCheck?.passed ?? true) }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public func encoded() throws -> Data { try Self.encoder.encode(self) + Data("\n".utf8) }

    public static func read(_ path: String) throws -> BackupManifest {
        try decoder.decode(BackupManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func write(to path: String) throws {
        try DurableFiles.write(try encoded(), to: path, mode: 0o600)
    }
}
