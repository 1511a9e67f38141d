public struct HTTPResponse: Sendable {
    public let url: String
    public let effectiveURL: String
    public let status: Int
    public let contentType: String?
    public let body: [UInt8]
    public let durationSeconds: Double
    /// A large body's permit (see `BodyBudget`): given back when the response is dropped.
    let permit: LargeBodyPermit?

    public init(url: String, effectiveURL: String, status: Int, contentType: String?, body: [UInt8], durationSeconds: Double) {
        self.init(url: url, effectiveURL: effectiveURL, status: status, contentType: contentType, body: body,
                  durationSeconds: durationSeconds, permit: nil)
    }

    init(url: String, effectiveURL: String, status: Int, contentType: String?, body: [UInt8], durationSeconds: Double,
         permit: LargeBodyPermit?) {
        self.permit = permit
        self.url = url
        self.effectiveURL = effectiveURL
        self.status = status
        self.contentType = contentType
        self.body = body
        self.durationSeconds = durationSeconds
    }
}
