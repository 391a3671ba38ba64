/// A day of the week, numbered as in ISO 8601 (Monday = 1 ... Sunday = 7).
public enum Weekday: Int, Hashable, Sendable, CaseIterable, Codable {
    case monday = 1
    case tuesday, wednesday, thursday, friday, saturday, sunday

    /// The weekday of a day number; 1970-01-01 was a Thursday.
    ///
    /// - Complexity: O(1).
    public init(dayNumber: Int) {
        let index = ((dayNumber + 3) % 7 + 7) % 7  // 0 = Monday
        self = Weekday(rawValue: index + 1) ?? .monday
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }
}
