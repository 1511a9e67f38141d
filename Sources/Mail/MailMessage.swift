import Foundation

/// A plain-text mail with attachments, rendered as RFC 5322 + MIME bytes (CRLF lines, UTF-8,
/// base64 parts). The Message-ID is the caller's, so a resend carries the same one.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        public var filename: String
        public var contentType: String
        public var bytes: [UInt8]
        public init(filename: String, contentType: String, bytes: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var body: String
    public var attachments: [Attachment]
    /// Without angle brackets: `local@domain`.
    public var messageID: String
    public var date: Date

    public init(from: MailAddress, to: [MailAddress], subject: String, body: String, attachments: [Attachment] = [],
                messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
    }

    /// The message as sent. `timeZone` decides the Date header's offset.
    public func rendered(timeZone: TimeZone) -> [UInt8] {
        let crlf = MIMEEncoding.crlf
        // The boundary is derived from the Message-ID: the same message renders to the same bytes.
        let boundary = "=_nightshift_" + String(UInt64(truncatingIfNeeded: messageID.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }), radix: 36)
        var head = [
            "Date: \(MailMessage.dateHeader(date, timeZone: timeZone))",
            "From: \(from.header)",
            "To: \(to.map(\.header).joined(separator: ", "))",
            "Subject: \(MIMEEncoding.headerText(subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        let text = "Content-Type: text/plain; charset=UTF-8" + crlf + "Content-Transfer-Encoding: base64" + crlf + crlf +
            MIMEEncoding.base64Lines(Array(normalizedLines(body).utf8))
        guard !attachments.isEmpty else {
            head.append(text)
            return Array(head.joined(separator: crlf).utf8)
        }
        head.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
        var out = head.joined(separator: crlf) + crlf + crlf + "This is a MIME message." + crlf
        out += "--\(boundary)" + crlf + text
        for attachment in attachments {
            out += "--\(boundary)" + crlf
            out += "Content-Type: \(attachment.contentType); \(MIMEEncoding.parameter("name", attachment.filename))" + crlf
            out += "Content-Disposition: attachment; \(MIMEEncoding.parameter("filename", attachment.filename))" + crlf
            out += "Content-Transfer-Encoding: base64" + crlf + crlf
            out += MIMEEncoding.base64Lines(attachment.bytes)
        }
        out += "--\(boundary)--" + crlf
        return Array(out.utf8)
    }

    private func normalizedLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// RFC 5322 date: `Sun, 01 Nov 2026 06:00:00 +0900`.
    static func dateHeader(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
