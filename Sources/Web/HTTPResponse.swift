public struct HTTPResponse: Sendable {
    public let url: String
    public let effectiveURL: String
    public let status: Int
    public let contentType: String?
    public let body: [UInt8]
    public let durationSeconds: Double

    public init(url: String, effectiveURL: String, status: Int, contentType: String?, body: [UInt8], durationSeconds: Double) {
        self.url = url
        self.effectiveURL = effectiveURL
        self.status = status
        self.contentType = contentType
        self.body = body
        self.durationSeconds = durationSeconds
    }
}
