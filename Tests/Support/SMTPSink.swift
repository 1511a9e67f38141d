import Foundation

/// A real SMTP server on 127.0.0.1 for one test (`smtp_sink.py`, Debian's python3-aiosmtpd),
/// keeping every accepted message; `stop()` or deinit ends it.
public final class SMTPSink {
    /// What the sink's own MIME parser (Python's email package) made of one message.
    public struct Message: Decodable {
        public struct Attachment: Decodable {
            public let filename: String?
            public let content_type: String
            public let size: Int
            public let sha256: String
        }
        public let mail_from: String
        public let rcpt_tos: [String]
        public let login: String?
        public let subject: String
        public let raw_headers: String
        public let message_id: String
        public let from: String
        public let to: String
        public let date: String
        public let text: String?
        public let attachments: [Attachment]
    }

    public let port: Int
    public let directory: String
    private let process: Process
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// `auth` ("user:password") requires that login; `defer` answers the first N messages with
    /// 451; `reject` answers RCPT for those addresses with 550.
    public init(auth: String? = nil, defer deferred: Int = 0, reject: [String] = [], port: Int? = nil) throws {
        self.port = port ?? SMTPSink.freePort()
        directory = try temporaryDirectory()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var arguments = [TestEnvironment.packageRoot + "/Tests/Support/smtp_sink.py", "--dir", directory, "--port", "\(self.port)",
                         "--defer", "\(deferred)"]
        if let auth { arguments += ["--auth", auth] }
        for address in reject { arguments += ["--reject", address] }
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = out.fileHandleForReading.availableData
        guard String(decoding: ready, as: UTF8.self).hasPrefix("ready") else {
            throw NSError(domain: "SMTPSink", code: 1, userInfo: [NSLocalizedDescriptionKey: "smtp_sink.py did not start"])
        }
    }

    deinit { stop() }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The messages received so far, in arrival order.
    public func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map {
            try JSONDecoder().decode(Message.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/\($0)")))
        }
    }

    /// The raw bytes of message `index` (0-based, arrival order).
    public func raw(_ index: Int) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: String(format: "%@/%06d.eml", directory, index + 1)))
    }

    /// A loopback port nothing listens on (at the moment of asking).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
