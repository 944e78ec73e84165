/// When a sample was taken: a calendar date, a day offset from a treatment event, or both.
///
/// Monitoring works on `dayOffset`; when only dates are given the pipeline derives offsets
/// from the patient's treatment event date.
public struct Timepoint: Hashable, Sendable, Codable {
    /// A label from the sample sheet (`baseline`, `C2D1`, `week 6`).
    public var label: String?
    /// The collection date, ISO 8601 (`2025-03-14`).
    public var date: CalendarDate?
    /// Days after (positive) or before (negative) the reference event.
    public var dayOffset: Int?
    /// The event the offset counts from (`treatment start`, `surgery`).
    public var event: String?

    /// Creates a timepoint.
    public init(label: String? = nil, date: CalendarDate? = nil, dayOffset: Int? = nil, event: String? = nil) {
        self.label = label
        self.date = date
        self.dayOffset = dayOffset
        self.event = event
    }
}
