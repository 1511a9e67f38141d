import CCurl
import Foundation

/// Submits messages over SMTP with one reused libcurl handle (the connection is kept between
/// messages). Not shareable between threads.
public final class SMTPClient {
    private let handle: UnsafeMutableRawPointer
    private let server: SMTPServer

    public init(server: SMTPServer) {
        ns_curl_global_init()
        self.handle = curl_easy_init()
        self.server = server
    }

    deinit { curl_easy_cleanup(handle) }

    /// Sends `message` (already rendered) from `from` to `recipients`; returns when the server
    /// accepted it, throws `SMTPError` otherwise.
    public func send(_ message: [UInt8], from: MailAddress, to recipients: [MailAddress]) throws {
        curl_easy_reset(handle)
        let source = MessageSource(message)
        let sourcePointer = Unmanaged.passUnretained(source).toOpaque()
        var rcpt: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { rcpt = curl_slist_append(rcpt, recipient.envelope) }
        defer { curl_slist_free_all(rcpt) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            ns_curl_setopt_string(handle, CURLOPT_URL, server.url)
            ns_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            ns_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue))
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
            if let caFile = server.caFile { ns_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
            if let username = server.username {
                ns_curl_setopt_string(handle, CURLOPT_USERNAME, username)
                ns_curl_setopt_string(handle, CURLOPT_PASSWORD, server.password ?? "")
            }
            ns_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(server.connectTimeoutSeconds * 1000))
            ns_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(server.timeoutSeconds * 1000))
            ns_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            ns_curl_setopt_string(handle, CURLOPT_MAIL_FROM, from.envelope)
            ns_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, rcpt)
            ns_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            ns_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
            ns_curl_setopt_read(handle, CURLOPT_READFUNCTION, messageSourceRead)
            ns_curl_setopt_pointer(handle, CURLOPT_READDATA, sourcePointer)
            ns_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            return curl_easy_perform(handle)
        }
        guard code != CURLE_OK else { return }
        var reply = 0
        ns_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let detail = String(cString: errorBuffer)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let unreachable = [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT].contains(code) ||
            (code == CURLE_OPERATION_TIMEDOUT && reply == 0)
        let transient: Bool
        switch reply {
        case 400..<500: transient = true
        case 500..<600: transient = false
        default: transient = SMTPClient.transientCodes.contains(code)
        }
        throw SMTPError(message: "\(text)\(reply > 0 ? " (reply \(reply))" : "")", replyCode: reply,
                        isTransient: transient, isUnreachable: unreachable)
    }

    private var useSSL: curl_usessl {
        switch server.startTLS {
        case .required: return CURLUSESSL_ALL
        case .optional: return CURLUSESSL_TRY
        case .off: return CURLUSESSL_NONE
        }
    }

    private static let transientCodes: Set<CURLcode> = [
        CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
    ]
}

private final class MessageSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

private let messageSourceRead: ns_curl_read_fn = { buffer, size, count, userdata in
    let source = Unmanaged<MessageSource>.fromOpaque(userdata!).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0, let buffer else { return 0 }
    source.bytes.withUnsafeBufferPointer { all in
        UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}
