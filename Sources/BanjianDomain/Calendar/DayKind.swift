/// Why a day is or is not a working day.
public enum DayKind: Hashable, Sendable {
    /// Monday–Friday with no override.
    case workday
    /// Saturday or Sunday with no override.
    case weekend
    /// A statutory holiday (off), with the festival's name.
    case holiday(name: String)
    /// A make-up working day (调休), usually a Saturday or Sunday, with the festival's name.
    case makeUpWorkday(name: String)

    /// True for ``workday`` and ``makeUpWorkday(name:)``.
    public var isWorking: Bool {
        switch self {
        case .workday, .makeUpWorkday: true
        case .weekend, .holiday: false
        }
    }
}
