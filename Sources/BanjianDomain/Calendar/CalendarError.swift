/// Why calendar input was refused: a bad date, bad office hours or bad holiday data.
///
/// Every case renders as a sentence that names the offending input, ready to show a user.
public enum CalendarError: Error, Hashable, CustomStringConvertible {
    /// Text that is not a real `YYYY-MM-DD` day.
    case invalidDate(String)
    /// Office hours that are empty, unsorted, overlapping, outside the day, or unparsable.
    case invalidOfficeHours(reason: String)
    /// A holiday-cn JSON document that cannot be used; `reason` says which part and why.
    case invalidHolidayData(reason: String)
    /// The same year given twice to ``WorkingCalendar/init(zone:officeHours:years:)``.
    case duplicateYear(Int)

    public var description: String {
        switch self {
        case .invalidDate(let text):
            "'\(text)' is not a valid date: expected YYYY-MM-DD, a real day in years 0001-9999"
        case .invalidOfficeHours(let reason):
            "invalid office hours: \(reason)"
        case .invalidHolidayData(let reason):
            "invalid holiday data: \(reason)"
        case .duplicateYear(let year):
            "holiday data for \(year) was given more than once"
        }
    }
}
