public import Foundation

/// A time zone with a fixed offset from UTC.
///
/// Only fixed offsets are modelled: mainland China has kept UTC+8 with no daylight-saving
/// time since 1991, so a service centre's local day is always `[00:00, 24:00)` at +08:00.
/// Conversions are plain integer arithmetic on whole seconds.
public struct CalendarZone: Hashable, Sendable, Codable {
    /// An IANA-style name for display and storage, such as `Asia/Shanghai`.
    public let identifier: String
    /// Seconds east of UTC (+08:00 is 28 800).
    public let utcOffsetSeconds: Int

    /// China Standard Time, `Asia/Shanghai`, UTC+08:00.
    public static let shanghai = CalendarZone(identifier: "Asia/Shanghai", utcOffsetSeconds: 8 * 3600)

    /// Creates a fixed-offset zone.
    ///
    /// - Parameters:
    ///   - identifier: A name for display.
    ///   - utcOffsetSeconds: Seconds east of UTC; real zones lie within ±18 hours.
    public init(identifier: String, utcOffsetSeconds: Int) {
        self.identifier = identifier
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The offset as ISO 8601 writes it: `+08:00`, `-03:30`, or `Z` for UTC.
    public var offsetText: String {
        guard utcOffsetSeconds != 0 else { return "Z" }
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let minutes = abs(utcOffsetSeconds) / 60
        return sign + Self.twoDigits(minutes / 60) + ":" + Self.twoDigits(minutes % 60)
    }

    /// Formats an instant as local time with this zone's offset, whole seconds (floored):
    /// `2025-10-13T17:30:00+08:00`.
    ///
    /// - Complexity: O(1).
    public func iso8601(_ instant: Date) -> String {
        iso8601(localSeconds: localSeconds(of: instant))
    }

    /// The instant at a local wall-clock time.
    ///
    /// - Parameters:
    ///   - date: The local day.
    ///   - secondOfDay: Seconds after local midnight; 86 400 is the next midnight.
    /// - Complexity: O(1).
    public func instant(_ date: CivilDate, secondOfDay: Int = 0) -> Date {
        instant(localSeconds: Int64(date.dayNumber) * 86_400 + Int64(secondOfDay))
    }

    /// The local calendar day that contains an instant.
    ///
    /// - Complexity: O(1).
    public func civilDate(of instant: Date) -> CivilDate {
        CivilDate(dayNumber: Int(Self.split(localSeconds(of: instant)).day))
    }

    /// The smallest and largest local second that calendar arithmetic handles:
    /// 0001-01-01T00:00:00 through 9999-12-31T23:59:59 local time.
    static let localSecondsRange: ClosedRange<Int64> = {
        let first = Int64(CivilDate.supportedDayNumbers.lowerBound) * 86_400
        let last = Int64(CivilDate.supportedDayNumbers.upperBound + 1) * 86_400 - 1
        return first...last
    }()

    /// Whole local seconds since 1970-01-01T00:00 local, floored and clamped to
    /// ``localSecondsRange`` (a NaN instant maps to its lower end).
    ///
    /// - Complexity: O(1).
    func localSeconds(of instant: Date) -> Int64 {
        let local = instant.timeIntervalSince1970.rounded(.down) + Double(utcOffsetSeconds)
        guard local >= Double(Self.localSecondsRange.lowerBound) else { return Self.localSecondsRange.lowerBound }
        guard local <= Double(Self.localSecondsRange.upperBound) else { return Self.localSecondsRange.upperBound }
        return Int64(local)
    }

    /// The instant at the given local whole seconds.
    func instant(localSeconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(localSeconds - Int64(utcOffsetSeconds)))
    }

    /// Formats local whole seconds since 1970-01-01T00:00 local as `2025-10-13T17:30:00+08:00`.
    ///
    /// - Complexity: O(1).
    func iso8601(localSeconds: Int64) -> String {
        let (day, secondOfDay) = Self.split(localSeconds)
        let date = CivilDate(dayNumber: Int(day))
        return date.description + "T" + Self.twoDigits(Int(secondOfDay / 3600)) + ":"
            + Self.twoDigits(Int(secondOfDay / 60 % 60)) + ":" + Self.twoDigits(Int(secondOfDay % 60))
            + offsetText
    }

    /// The local date and time as printed on a notice: `2025年03月17日 17:30`.
    ///
    /// - Complexity: O(1).
    public func printed(_ instant: Date) -> String {
        let (day, secondOfDay) = Self.split(localSeconds(of: instant))
        let date = CivilDate(dayNumber: Int(day))
        return "\(date.year)年\(Self.twoDigits(date.month))月\(Self.twoDigits(date.day))日 "
            + Self.twoDigits(Int(secondOfDay / 3600)) + ":" + Self.twoDigits(Int(secondOfDay / 60 % 60))
    }

    /// Splits local seconds into a day number and the second of that day, flooring.
    static func split(_ localSeconds: Int64) -> (day: Int64, secondOfDay: Int64) {
        let day = localSeconds >= 0 ? localSeconds / 86_400 : -((-localSeconds - 1) / 86_400) - 1
        return (day, localSeconds - day * 86_400)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
