/// What a job over a month's documents (invoices, reports) is asked: which month, whether to draw
/// the month's existing documents again, whether to mail what is unsent afterwards.
public struct MonthRunOptions: Sendable {
    /// `YYYY-MM`, a month that has ended; the month before `now` when nil.
    public var month: String?
    /// Re-render the month's existing documents (after a template change; figures unchanged).
    public var regenerate = false
    public var send = false

    public init(month: String? = nil, regenerate: Bool = false, send: Bool = false) {
        (self.month, self.regenerate, self.send) = (month, regenerate, send)
    }
}
