import BanjianDomain
import Foundation
import Testing

/// The holiday-cn reference files in `../shared/reference/holiday-cn/`, beside the package.
enum HolidayReference {
    static let years = [2024, 2025, 2026]

    /// The package root, found from this file's path (Tests/BanjianDomainTests/Calendar/…).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ year: Int) -> URL {
        packageRoot.appendingPathComponent("../shared/reference/holiday-cn/\(year).json").standardizedFileURL
    }

    /// The file's bytes. A missing file throws, so the test fails rather than skips.
    static func data(_ year: Int) throws -> Data {
        try Data(contentsOf: url(year))
    }

    /// The file's `days`, parsed with JSONSerialization, independently of `HolidayYear`:
    /// ISO date → isOffDay, plus the names.
    static func rawDays(_ year: Int) throws -> [String: (name: String, isOffDay: Bool)] {
        let object = try JSONSerialization.jsonObject(with: data(year))
        let document = try #require(object as? [String: Any])
        let days = try #require(document["days"] as? [[String: Any]])
        var result: [String: (name: String, isOffDay: Bool)] = [:]
        for day in days {
            let date = try #require(day["date"] as? String)
            let name = try #require(day["name"] as? String)
            let off = try #require(day["isOffDay"] as? Bool)
            result[date] = (name, off)
        }
        return result
    }
}

/// A slow, obviously correct calendar to check `WorkingCalendar` against.
///
/// It shares no arithmetic with the code under test: dates and weekdays come from
/// Foundation's Gregorian `Calendar`, holidays from the JSON read by `JSONSerialization`, and
/// working time is measured by walking day by day over the office intervals.
final class NaiveCalendar {
    let offset: Int64 = 8 * 3600
    let overrides: [String: Bool]  // ISO date → isOffDay, for the loaded years only
    let loadedYears: Set<Int>
    let intervals: [(start: Int64, end: Int64)]  // seconds of the local day
    private let gregorian: Calendar
    private var cache: [Int64: (iso: String, year: Int, working: Bool)] = [:]

    init(overrides: [String: Bool], loadedYears: Set<Int>, officeHours: OfficeHours) {
        self.overrides = overrides
        self.loadedYears = loadedYears
        self.intervals = officeHours.intervals.map { (Int64($0.start) * 60, Int64($0.end) * 60) }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(secondsFromGMT: 0) ?? gregorian.timeZone
        self.gregorian = gregorian
    }

    /// The shipped 2024–2026 data, read from the reference JSON.
    static func china(officeHours: OfficeHours = .standard) throws -> NaiveCalendar {
        var overrides: [String: Bool] = [:]
        for year in HolidayReference.years {
            for (date, entry) in try HolidayReference.rawDays(year) { overrides[date] = entry.isOffDay }
        }
        return NaiveCalendar(overrides: overrides, loadedYears: Set(HolidayReference.years), officeHours: officeHours)
    }

    /// Facts about the local day `localDay` (days since 1970-01-01 local), from Foundation.
    func dayFacts(_ localDay: Int64) -> (iso: String, year: Int, working: Bool) {
        if let cached = cache[localDay] { return cached }
        let date = Date(timeIntervalSince1970: TimeInterval(localDay * 86_400))
        let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: date)
        let year = parts.year ?? 0
        let iso = String(format: "%04d-%02d-%02d", year, parts.month ?? 0, parts.day ?? 0)
        let weekend = parts.weekday == 1 || parts.weekday == 7  // Foundation: 1 = Sunday
        let working = overrides[iso].map { !$0 } ?? !weekend
        let facts = (iso, year, working)
        cache[localDay] = facts
        return facts
    }

    func localDay(ofUTC seconds: Int64) -> Int64 {
        let local = seconds + offset
        return local >= 0 ? local / 86_400 : -((-local - 1) / 86_400) - 1
    }

    /// Office time in [a, b) in seconds, as the measure of the overlap with office intervals.
    func workingSeconds(from a: Int64, to b: Int64) -> Int64 {
        if b < a { return -workingSeconds(from: b, to: a) }
        var total: Int64 = 0
        var day = localDay(ofUTC: a)
        while day <= localDay(ofUTC: b) {
            if dayFacts(day).working {
                let midnight = day * 86_400 - offset
                for interval in intervals {
                    let low = max(a, midnight + interval.start)
                    let high = min(b, midnight + interval.end)
                    if high > low { total += high - low }
                }
            }
            day += 1
        }
        return total
    }

    /// The earliest t with `workingSeconds(from: start, to: t) == seconds` (seconds > 0).
    func adding(seconds: Int64, to start: Int64) -> Int64 {
        var remaining = seconds
        var day = localDay(ofUTC: start)
        while true {
            if dayFacts(day).working {
                let midnight = day * 86_400 - offset
                for interval in intervals {
                    let low = max(start, midnight + interval.start)
                    let high = midnight + interval.end
                    guard high > low else { continue }
                    if remaining <= high - low { return low + remaining }
                    remaining -= high - low
                }
            }
            day += 1
        }
    }

    /// Close of office on the n-th working day after the local day of `start` (n >= 1).
    func adding(workingDays n: Int, to start: Int64) -> Int64 {
        var day = localDay(ofUTC: start)
        var counted = 0
        while counted < n {
            day += 1
            if dayFacts(day).working { counted += 1 }
        }
        return day * 86_400 - offset + (intervals.last?.end ?? 0)
    }

    /// Working days among the local days [from, to).
    func workingDays(from: Int64, to: Int64) -> Int {
        if to < from { return -workingDays(from: to, to: from) }
        var count = 0
        var day = from
        while day < to {
            if dayFacts(day).working { count += 1 }
            day += 1
        }
        return count
    }

    /// True when any year from a's through b's lacks data.
    func isProvisional(_ a: Int64, _ b: Int64) -> Bool {
        let first = dayFacts(localDay(ofUTC: min(a, b))).year
        let last = dayFacts(localDay(ofUTC: max(a, b))).year
        return !(first...last).allSatisfy(loadedYears.contains)
    }
}

/// Literals and helpers for the calendar tests, namespaced so they cannot clash with other suites.
enum CalendarFixture {
    /// Parses `2025-10-13T17:30:00+08:00` with Foundation, independently of the calendar.
    static func iso(_ text: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return try #require(formatter.date(from: text), "bad instant in test: \(text)")
    }

    /// A local (+08:00) wall time, `2025-09-30T10:15` or `2025-09-30T10:15:30`, as an instant.
    static func local(_ text: String) throws -> Date {
        try iso(text.count == 16 ? text + ":00+08:00" : text + "+08:00")
    }

    /// A date literal.
    static func date(_ text: String) throws -> CivilDate {
        try #require(CivilDate(iso: text), "bad date in test: \(text)")
    }

    /// Whole seconds since 1970 (floored).
    static func seconds(_ instant: Date) -> Int64 {
        Int64(instant.timeIntervalSince1970.rounded(.down))
    }

    /// The instant at whole seconds since 1970.
    static func instant(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
