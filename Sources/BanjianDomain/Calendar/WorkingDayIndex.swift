/// The precomputed working-day structure behind ``WorkingCalendar``: a cumulative count of
/// working days `W(day)` and its inverse, both O(1) for every day number.
///
/// `W(day)` is the number of working days in `[1970-01-01, day)`, negative before 1970. Over the
/// *span* (Jan 1 of the first loaded year through Dec 31 of the last, widened to take in any
/// neighbouring-year entries) it reads a prefix-sum table; outside the span no override
/// exists, so it counts Monday–Friday in closed form with period 7. The inverse maps the k-th
/// working day (k = `W(d)` for a working day `d`) back to `d` through a table of the span's
/// working days, or in closed form with period 5 outside it.
struct WorkingDayIndex: Sendable {
    /// The loaded years by year.
    let years: [Int: HolidayYear]
    /// The loaded years, ascending.
    let sortedYears: [Int]
    /// Every applied override, keyed by day number.
    let overrides: [Int: DayOverride]
    /// For each loaded year, the last year of the unbroken run of loaded years it belongs to.
    private let runEnd: [Int: Int]
    /// The tables cover the day numbers `[spanStart, spanEnd)`.
    private let spanStart: Int
    private let spanEnd: Int
    /// `prefix[i]` is the number of working days in `[spanStart, spanStart + i)`; one longer than the span.
    private let prefix: [Int32]
    /// `workingOffsets[j]` is the offset from `spanStart` of the span's j-th working day.
    private let workingOffsets: [Int32]
    /// `W(spanStart)`.
    private let countBeforeSpan: Int

    /// Builds the tables from the given years.
    ///
    /// Years outside 0001-9999 are skipped, and so are entries dated more than one year away
    /// from their file's year (``HolidayYear/init(holidayCNJSON:)`` refuses both).
    ///
    /// - Complexity: O(days in the span + number of overrides).
    init(years: some Sequence<HolidayYear>) {
        var byYear: [Int: HolidayYear] = [:]
        for year in years where CivilDate.supportedYears.contains(year.year) {
            byYear[year.year] = year
        }
        let sortedYears = byYear.keys.sorted()
        self.years = byYear
        self.sortedYears = sortedYears

        // Entries for a neighbouring year go in first, so that the owning year's own data wins.
        var overrides: [Int: DayOverride] = [:]
        for owned in [false, true] {
            for year in sortedYears {
                for (date, override) in byYear[year]?.days ?? [:]
                where (date.year == year) == owned && abs(date.year - year) <= 1 {
                    overrides[date.dayNumber] = override
                }
            }
        }
        self.overrides = overrides

        var runEnd: [Int: Int] = [:]
        for year in sortedYears.reversed() {
            runEnd[year] = runEnd[year + 1] ?? year
        }
        self.runEnd = runEnd

        guard let first = sortedYears.first, let last = sortedYears.last else {
            spanStart = 0
            spanEnd = 0
            prefix = [0]
            workingOffsets = []
            countBeforeSpan = 0
            return
        }
        let start = min(CivilDate.daysFromCivil(year: first, month: 1, day: 1), overrides.keys.min() ?? .max)
        let end = max(CivilDate.daysFromCivil(year: last + 1, month: 1, day: 1), (overrides.keys.max() ?? .min) + 1)
        var prefix: [Int32] = []
        prefix.reserveCapacity(end - start + 1)
        var offsets: [Int32] = []
        offsets.reserveCapacity((end - start) * 5 / 7 + 1)
        var count: Int32 = 0
        prefix.append(0)
        for day in start..<end {
            let working = overrides[day].map { !$0.isOffDay } ?? !Weekday(dayNumber: day).isWeekend
            if working {
                offsets.append(Int32(day - start))
                count += 1
            }
            prefix.append(count)
        }
        self.spanStart = start
        self.spanEnd = end
        self.prefix = prefix
        self.workingOffsets = offsets
        self.countBeforeSpan = Self.weekdaysBefore(start)
    }

    /// Whether a day is a working day: its override if it has one, else Monday–Friday.
    ///
    /// - Complexity: O(1).
    func isWorking(_ day: Int) -> Bool {
        guard day >= spanStart, day < spanEnd else { return !Weekday(dayNumber: day).isWeekend }
        let offset = day - spanStart
        return prefix[offset + 1] != prefix[offset]
    }

    /// `W(day)`: the number of working days in `[1970-01-01, day)`, negative before 1970.
    ///
    /// For a working day `d`, `W(d)` is its index k; for any day, `W(d)` is the index of the
    /// first working day on or after `d`.
    /// - Complexity: O(1).
    func workingDaysBefore(_ day: Int) -> Int {
        if day <= spanStart { return Self.weekdaysBefore(day) }
        if day <= spanEnd { return countBeforeSpan + Int(prefix[day - spanStart]) }
        return countBeforeSpan + workingOffsets.count + Self.weekdaysBefore(day) - Self.weekdaysBefore(spanEnd)
    }

    /// The working day whose index is `k`: the day `d` that is working with `W(d) == k`.
    ///
    /// - Complexity: O(1).
    func workingDay(at k: Int) -> Int {
        if k < countBeforeSpan { return Self.weekday(at: k) }
        let inSpan = k - countBeforeSpan
        if inSpan < workingOffsets.count { return spanStart + Int(workingOffsets[inSpan]) }
        return Self.weekday(at: inSpan - workingOffsets.count + Self.weekdaysBefore(spanEnd))
    }

    /// True when every year from `first` through `last` is loaded.
    ///
    /// - Complexity: O(1).
    func coversYears(_ first: Int, through last: Int) -> Bool {
        guard let end = runEnd[first] else { return false }
        return end >= last
    }

    // MARK: Closed forms for a plain Monday–Friday week

    /// Monday–Friday days among the first r = 0...6 days of a week that starts on a Thursday,
    /// as 1970-01-01 did.
    private static let weekdaysInPartialWeek = [0, 1, 2, 2, 2, 3, 4]
    /// Offsets within a Thursday-first week of its five working days (Thu, Fri, Mon, Tue, Wed).
    private static let weekdayOffsets = [0, 1, 4, 5, 6]

    /// Monday–Friday days in `[1970-01-01, day)`, negative before 1970.
    static func weekdaysBefore(_ day: Int) -> Int {
        let week = floorDivide(day, 7)
        return 5 * week + weekdaysInPartialWeek[day - 7 * week]
    }

    /// The Monday–Friday day `d` with `weekdaysBefore(d) == k`.
    static func weekday(at k: Int) -> Int {
        let week = floorDivide(k, 5)
        return 7 * week + weekdayOffsets[k - 5 * week]
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}
