/// The hours a service centre is open on a working day, as sorted, disjoint intervals.
///
/// Working time only runs inside these intervals, so a deadline counted in working minutes
/// skips the lunch break and the night. Intervals are minutes after local midnight.
public struct OfficeHours: Hashable, Sendable {
    /// One opening period, `[start, end)` in minutes after local midnight.
    public struct Interval: Hashable, Sendable, Codable {
        /// Opening minute, 0...1439.
        public let start: Int
        /// Closing minute, 1...1440 (1440 is midnight at the end of the day).
        public let end: Int

        /// Creates an interval; ``OfficeHours/init(_:)`` checks it.
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        /// The interval's length in minutes.
        public var minutes: Int { end - start }
    }

    /// The opening periods, sorted, non-empty and non-overlapping.
    public let intervals: [Interval]

    /// Total open minutes in a working day (390 for ``standard``).
    public let minutesPerDay: Int

    /// 08:30–12:00 and 14:30–17:30: 390 minutes, the usual hours of a township centre.
    public static let standard = OfficeHours(
        checked: [Interval(start: 8 * 60 + 30, end: 12 * 60), Interval(start: 14 * 60 + 30, end: 17 * 60 + 30)])

    /// Creates office hours from intervals, checking them.
    ///
    /// - Parameter intervals: At least one interval; each with `0 <= start < end <= 1440`;
    ///   sorted, and each starting no earlier than the previous one ends.
    /// - Throws: ``CalendarError/invalidOfficeHours(reason:)`` naming the first bad interval.
    public init(_ intervals: [Interval]) throws(CalendarError) {
        guard !intervals.isEmpty else {
            throw .invalidOfficeHours(reason: "at least one interval is needed")
        }
        for (index, interval) in intervals.enumerated() {
            let text = Self.format(interval)
            guard interval.start >= 0, interval.end <= 1440 else {
                throw .invalidOfficeHours(reason: "\(text) lies outside the day 00:00-24:00")
            }
            guard interval.start < interval.end else {
                throw .invalidOfficeHours(reason: "\(text) does not end after it starts")
            }
            if index > 0, interval.start < intervals[index - 1].end {
                throw .invalidOfficeHours(
                    reason: "\(text) overlaps or comes before \(Self.format(intervals[index - 1])); "
                        + "list intervals in order without overlap")
            }
        }
        self.init(checked: intervals)
    }

    /// Parses `08:30-12:00,14:30-17:30`: comma-separated `HH:MM-HH:MM` intervals, spaces allowed,
    /// `24:00` allowed as an end.
    ///
    /// - Throws: ``CalendarError/invalidOfficeHours(reason:)`` quoting the part that failed.
    public init(parsing text: String) throws(CalendarError) {
        var intervals: [Interval] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingSpaces
            let ends = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let start = Self.minute(ends[0].trimmingSpaces),
                let end = Self.minute(ends[1].trimmingSpaces)
            else {
                throw .invalidOfficeHours(
                    reason: "'\(trimmed)' in '\(text)' is not HH:MM-HH:MM (e.g. 08:30-12:00,14:30-17:30)")
            }
            intervals.append(Interval(start: start, end: end))
        }
        try self.init(intervals)
    }

    private init(checked intervals: [Interval]) {
        self.intervals = intervals
        self.minutesPerDay = intervals.reduce(0) { $0 + $1.minutes }
    }

    /// The text form accepted by ``init(parsing:)``: `08:30-12:00,14:30-17:30`.
    public var text: String {
        intervals.map(Self.format).joined(separator: ",")
    }

    /// The opening second of the day (08:30 → 30 600).
    var openingSecond: Int64 { Int64(intervals[0].start) * 60 }

    /// The closing second of the day (17:30 → 63 000).
    var closingSecond: Int64 { Int64(intervals[intervals.count - 1].end) * 60 }

    /// Working seconds in `[00:00, secondOfDay)` of a working day.
    ///
    /// - Complexity: O(number of intervals), a small constant.
    func workedSeconds(before secondOfDay: Int64) -> Int64 {
        var total: Int64 = 0
        for interval in intervals {
            let start = Int64(interval.start) * 60
            let end = Int64(interval.end) * 60
            guard secondOfDay > start else { break }
            total += min(secondOfDay, end) - start
        }
        return total
    }

    /// The earliest second of a working day by which `worked` seconds of work are done.
    ///
    /// - Parameter worked: 1 through `minutesPerDay * 60`.
    /// - Returns: For the end of an interval, that end (12:00, not 14:30).
    /// - Complexity: O(number of intervals), a small constant.
    func secondOfDay(afterWorking worked: Int64) -> Int64 {
        var remaining = worked
        for interval in intervals {
            let length = Int64(interval.minutes) * 60
            if remaining <= length { return Int64(interval.start) * 60 + remaining }
            remaining -= length
        }
        return closingSecond
    }

    private static func minute(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        return hour * 60 + minute
    }

    private static func format(_ interval: Interval) -> String {
        guard (0...1440).contains(interval.start), (0...1440).contains(interval.end) else {
            return "the interval of minutes [\(interval.start), \(interval.end))"
        }
        return clock(interval.start) + "-" + clock(interval.end)
    }

    private static func clock(_ minute: Int) -> String {
        let hour = minute / 60
        let rest = minute % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }
}

extension OfficeHours: Codable {
    private enum CodingKeys: String, CodingKey { case intervals }

    /// Decodes `{"intervals": [{"start": 510, "end": 720}, ...]}`, checking it as ``init(_:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let intervals = try container.decode([Interval].self, forKey: .intervals)
        do {
            try self.init(intervals)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .intervals, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(intervals, forKey: .intervals)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
