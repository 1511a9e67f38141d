/// Why a page could not be fetched. `isTransient` drives retries: only failures that may pass
/// by themselves (refused or reset connections, timeouts, HTTP 429 and 5xx) are worth another try.
public enum FetchError: Error, CustomStringConvertible, Sendable, Equatable {
    case transport(code: Int, message: String, transient: Bool)
    case httpStatus(Int, retryAfterSeconds: Double?)
    case tooLarge(limitBytes: Int)
    case tooManyRedirects(limit: Int)
    case disallowedScheme(String)
    case invalidURL(String)

    public var isTransient: Bool {
        switch self {
        case .transport(_, _, let transient): return transient
        case .httpStatus(let status, _): return status == 429 || (500...599).contains(status)
        default: return false
        }
    }

    /// The server's own `Retry-After`, when it sent one.
    public var retryAfterSeconds: Double? {
        if case .httpStatus(_, let after) = self { return after }
        return nil
    }

    public var description: String {
        switch self {
        case .transport(let code, let message, _): return "transfer failed (curl \(code)): \(message)"
        case .httpStatus(let status, _): return "HTTP \(status)"
        case .tooLarge(let limit): return "page larger than the \(limit)-byte cap"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects"
        case .disallowedScheme(let scheme): return "\(scheme):// URLs are not allowed"
        case .invalidURL(let url): return "invalid URL \(url)"
        }
    }
}
