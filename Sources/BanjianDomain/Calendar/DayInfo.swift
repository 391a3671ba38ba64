/// One local day as the calendar sees it.
public struct DayInfo: Hashable, Sendable {
    /// The day.
    public let date: CivilDate
    /// Working or not, and why.
    public let kind: DayKind
    /// True when the day's year has no loaded holiday data, so only weekends were applied.
    public let provisional: Bool

    /// Creates a day description.
    public init(date: CivilDate, kind: DayKind, provisional: Bool) {
        self.date = date
        self.kind = kind
        self.provisional = provisional
    }
}
