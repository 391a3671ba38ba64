public import Foundation

/// China's working-day calendar for one service centre: statutory holidays, make-up working
/// days (调休), office hours and a fixed-offset zone, with O(1) working-time arithmetic.
///
/// A day is working when its year's notice says so (a holiday is off, a make-up day is
/// working even on a weekend); otherwise Monday–Friday are working. A year with no loaded
/// data falls back to weekends only, and every result that touches it is *provisional*.
///
/// The calendar is an immutable value: ``loading(_:)`` returns a new calendar with one more
/// (or a replaced) year, after which deadlines should be re-projected.
///
/// Instants are handled as whole seconds (floored) between 0001-01-01 and 9999-12-31 local
/// time; instants outside that range are clamped to it.
public struct WorkingCalendar: Sendable {
    /// The zone whose local days and office hours apply.
    public let zone: CalendarZone
    /// The office hours of every working day.
    public let officeHours: OfficeHours
    let index: WorkingDayIndex

    /// Creates a calendar from holiday data.
    ///
    /// - Parameters:
    ///   - zone: The local zone; China uses ``CalendarZone/shanghai``.
    ///   - officeHours: The hours of a working day.
    ///   - years: One ``HolidayYear`` per year, any order; years not given fall back to weekends.
    /// - Throws: ``CalendarError/duplicateYear(_:)`` when a year is given twice;
    ///   ``CalendarError/invalidHolidayData(reason:)`` for a year outside 0001-9999.
    /// - Complexity: O(days from the first to the last year given).
    public init(
        zone: CalendarZone = .shanghai, officeHours: OfficeHours = .standard, years: [HolidayYear]
    ) throws(CalendarError) {
        var seen = Set<Int>()
        for year in years {
            guard CivilDate.supportedYears.contains(year.year) else {
                throw .invalidHolidayData(reason: "year \(year.year) is outside 0001-9999")
            }
            guard seen.insert(year.year).inserted else { throw .duplicateYear(year.year) }
        }
        self.init(zone: zone, officeHours: officeHours, index: WorkingDayIndex(years: years))
    }

    init(zone: CalendarZone, officeHours: OfficeHours, index: WorkingDayIndex) {
        self.zone = zone
        self.officeHours = officeHours
        self.index = index
    }

    /// Mainland China in Asia/Shanghai with the shipped holiday data (2024–2026, from
    /// holiday-cn, see ``ChinaHolidays``).
    ///
    /// - Complexity: O(1); the tables are built once per process.
    public static func chinaMainland(officeHours: OfficeHours = .standard) -> WorkingCalendar {
        WorkingCalendar(zone: .shanghai, officeHours: officeHours, index: chinaMainlandIndex)
    }

    private static let chinaMainlandIndex = WorkingDayIndex(years: ChinaHolidays.years)

    /// The years with loaded holiday data, ascending.
    public var loadedYears: [Int] { index.sortedYears }

    /// The loaded data for a year, if any.
    public func holidayYear(_ year: Int) -> HolidayYear? { index.years[year] }

    /// A new calendar with `year` loaded, replacing that year's data if it was loaded already.
    ///
    /// A year outside 0001-9999 is ignored.
    /// - Complexity: O(days from the first to the last loaded year).
    public func loading(_ year: HolidayYear) -> WorkingCalendar {
        var years = index.years
        years[year.year] = year
        return WorkingCalendar(zone: zone, officeHours: officeHours, index: WorkingDayIndex(years: years.values))
    }

    /// A new calendar with the same holiday data and different office hours.
    ///
    /// - Complexity: O(1).
    public func withOfficeHours(_ officeHours: OfficeHours) -> WorkingCalendar {
        WorkingCalendar(zone: zone, officeHours: officeHours, index: index)
    }

    /// What kind of day a date is, and whether that rests on loaded data.
    ///
    /// - Complexity: O(1).
    public func day(_ date: CivilDate) -> DayInfo {
        let kind: DayKind
        if let override = index.overrides[date.dayNumber] {
            kind = override.isOffDay ? .holiday(name: override.name) : .makeUpWorkday(name: override.name)
        } else {
            kind = date.weekday.isWeekend ? .weekend : .workday
        }
        return DayInfo(date: date, kind: kind, provisional: index.years[date.year] == nil)
    }

    /// Whether a date is a working day.
    ///
    /// - Complexity: O(1).
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        index.isWorking(date.dayNumber)
    }

    /// The local day (in ``zone``) that contains an instant.
    ///
    /// - Complexity: O(1).
    public func civilDate(of instant: Date) -> CivilDate {
        zone.civilDate(of: instant)
    }

    /// Local midnight at the start of a date, in ``zone``.
    ///
    /// - Complexity: O(1).
    public func startOfDay(_ date: CivilDate) -> Date {
        zone.instant(date)
    }

    /// The close of office (end of the last interval, 17:30 by default) on a date.
    ///
    /// - Complexity: O(1).
    public func closeOfOffice(on date: CivilDate) -> Date {
        zone.instant(localSeconds: Int64(date.dayNumber) * 86_400 + officeHours.closingSecond)
    }

    /// True when any local day in the years of `a` through `b` (either order) lacks loaded data.
    ///
    /// - Complexity: O(1).
    public func isProvisional(from a: Date, to b: Date) -> Bool {
        let first = civilDate(of: a).year
        let second = civilDate(of: b).year
        return !index.coversYears(min(first, second), through: max(first, second))
    }
}
