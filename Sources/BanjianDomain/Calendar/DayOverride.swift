/// What the State Council's annual notice says about one day: a statutory holiday (off), or
/// a make-up working day (调休, working even on a Saturday or Sunday).
public struct DayOverride: Hashable, Sendable, Codable {
    /// The festival the day belongs to, such as `春节` or `国庆节、中秋节`.
    public let name: String
    /// True for a day off (holiday), false for a make-up working day.
    public let isOffDay: Bool

    /// Creates an override.
    public init(name: String, isOffDay: Bool) {
        self.name = name
        self.isOffDay = isOffDay
    }
}
