import CCurl
import Foundation

/// Fetches pages with one reused libcurl handle (so connections are kept alive).
/// One fetcher per thread; share a `HostGate` between them for per-host politeness.
public final class PageFetcher {
    private let handle: UnsafeMutableRawPointer
    private let policy: FetchPolicy
    private let gate: HostGate
    private let budget: BodyBudget?

    /// Share one `BodyBudget` between concurrent fetchers to bound the memory their bodies hold.
    public init(policy: FetchPolicy, gate: HostGate, budget: BodyBudget? = nil) {
        ns_curl_global_init()
        self.handle = curl_easy_init()
        self.policy = policy
        self.gate = gate
        self.budget = budget
    }

    deinit { curl_easy_cleanup(handle) }

    /// One GET. Non-2xx statuses, oversize bodies and transport failures throw `FetchError`.
    public func fetch(_ url: String) throws -> HTTPResponse {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw FetchError.invalidURL(url)
        }
        let allowed = policy.allowFileURLs ? ["http", "https", "file"] : ["http", "https"]
        guard allowed.contains(scheme) else { throw FetchError.disallowedScheme(scheme) }
        let host = components.host ?? ""

        gate.enter(host: host)
        defer { gate.leave(host: host) }
        return try perform(url, protocols: allowed.joined(separator: ","))
    }

    /// One POST of `body` (`contentType`, e.g. application/json) to an http(s) URL — a webhook,
    /// a heartbeat, a Pushgateway. Failures throw `FetchError` as for `fetch`.
    public func post(_ url: String, body: [UInt8], contentType: String) throws -> HTTPResponse {
        guard let scheme = URLComponents(string: url)?.scheme?.lowercased() else { throw FetchError.invalidURL(url) }
        guard ["http", "https"].contains(scheme) else { throw FetchError.disallowedScheme(scheme) }
        let headers = curl_slist_append(nil, "Content-Type: \(contentType)")
        defer { curl_slist_free_all(headers) }
        return try perform(url, protocols: "http,https") {
            ns_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                _ = ns_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            ns_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
            ns_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        }
    }

    private func perform(_ url: String, protocols: String, request: () -> Void = {}) throws -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = BodySink(limit: policy.maxBytes, budget: budget)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let start = DispatchTime.now()
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            ns_curl_setopt_string(handle, CURLOPT_URL, url)
            ns_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, protocols)
            ns_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, protocols)
            ns_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            ns_curl_setopt_long(handle, CURLOPT_MAXREDIRS, policy.maxRedirects)
            ns_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(policy.connectTimeoutSeconds * 1000))
            ns_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(policy.totalTimeoutSeconds * 1000))
            ns_curl_setopt_string(handle, CURLOPT_USERAGENT, policy.userAgent)
            ns_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
            ns_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxBytes))
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
            ns_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            ns_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            ns_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, bodySinkWrite)
            ns_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
            request()
            return curl_easy_perform(handle)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        if sink.exceeded || code == CURLE_FILESIZE_EXCEEDED { throw FetchError.tooLarge(limitBytes: policy.maxBytes) }
        if code == CURLE_TOO_MANY_REDIRECTS { throw FetchError.tooManyRedirects(limit: policy.maxRedirects) }
        if code == CURLE_UNSUPPORTED_PROTOCOL {
            throw FetchError.disallowedScheme(effectiveURL.flatMap { URLComponents(string: $0)?.scheme } ?? "redirect")
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw FetchError.transport(code: Int(code.rawValue), message: message,
                                       transient: transientCodes.contains(code))
        }
        var status = 0
        ns_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let scheme = URLComponents(string: url)?.scheme?.lowercased()
        if scheme == "file" { status = 200 }
        guard (200...299).contains(status) else {
            var retryAfter: curl_off_t = 0
            ns_curl_getinfo_off(handle, CURLINFO_RETRY_AFTER, &retryAfter)
            throw FetchError.httpStatus(status, retryAfterSeconds: retryAfter > 0 ? Double(retryAfter) : nil)
        }
        var contentType: UnsafeMutablePointer<CChar>?
        ns_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &contentType)
        return HTTPResponse(url: url, effectiveURL: effectiveURL ?? url, status: status,
                            contentType: contentType.map { String(cString: $0) },
                            body: sink.bytes, durationSeconds: seconds, permit: sink.permit)
    }

    private var effectiveURL: String? {
        var pointer: UnsafeMutablePointer<CChar>?
        ns_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer)
        return pointer.map { String(cString: $0) }
    }
}

private let transientCodes: Set<CURLcode> = [
    CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR,
    CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
]

private final class BodySink {
    let limit: Int
    let budget: BodyBudget?
    var bytes: [UInt8] = []
    var exceeded = false
    var permit: LargeBodyPermit?
    init(limit: Int, budget: BodyBudget?) {
        self.limit = limit
        self.budget = budget
    }
}

private let bodySinkWrite: ns_curl_write_fn = { data, size, count, userdata in
    let sink = Unmanaged<BodySink>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    if sink.bytes.count + length > sink.limit {
        sink.exceeded = true
        return 0  // aborts the transfer; a compressed body cannot grow past the cap either
    }
    if let budget = sink.budget, sink.permit == nil, sink.bytes.count + length > budget.smallBodyBytes {
        sink.permit = budget.takeLargePermit()  // waits while another large page is in memory
    }
    if let data { data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    } }
    return length
}
