public import Foundation

/// An instant computed through the calendar, and whether it rests on missing holiday data.
public struct ProjectedInstant: Hashable, Sendable {
    /// The computed instant.
    public let instant: Date
    /// True when some year between the start and the result has no loaded holiday data, so
    /// the instant was computed on weekends only and may move when that year is loaded.
    public let provisional: Bool

    /// Creates a projected instant.
    public init(instant: Date, provisional: Bool) {
        self.instant = instant
        self.provisional = provisional
    }
}
