import BanjianDomain
import Foundation
import Testing

@Suite("Calendar: loading years and re-projection")
struct WorkingCalendarLoadingTests {
    /// A made-up 2027 notice: New Year's Day Friday 01-01 and Monday 01-04 off, Saturday 01-09 working.
    static func synthetic2027() throws -> HolidayYear {
        HolidayYear(
            year: 2027, source: "synthetic test data",
            days: [
                try CalendarFixture.date("2027-01-01"): DayOverride(name: "元旦", isOffDay: true),
                try CalendarFixture.date("2027-01-04"): DayOverride(name: "元旦", isOffDay: true),
                try CalendarFixture.date("2027-01-09"): DayOverride(name: "元旦", isOffDay: false),
            ])
    }

    @Test("a provisional deadline re-projects when its year is loaded")
    func reprojection() throws {
        let before = WorkingCalendar.chinaMainland()
        let start = try CalendarFixture.local("2026-12-30T10:00")

        // Without 2027 data: 12-31, 01-01, 01-04, 01-05, 01-06 (weekends only).
        let provisional = before.addingWorkingDays(5, to: start)
        #expect(try provisional.instant == CalendarFixture.iso("2027-01-06T17:30:00+08:00"))
        #expect(provisional.provisional)
        let provisionalMinutes = before.addingWorkingMinutes(390 * 2, to: start)
        #expect(try provisionalMinutes.instant == CalendarFixture.local("2027-01-01T10:00"))
        #expect(provisionalMinutes.provisional)

        let after = before.loading(try Self.synthetic2027())
        #expect(after.loadedYears == [2024, 2025, 2026, 2027])

        // With it: 12-31, 01-05, 01-06, 01-07, 01-08.
        let final = after.addingWorkingDays(5, to: start)
        #expect(try final.instant == CalendarFixture.iso("2027-01-08T17:30:00+08:00"))
        #expect(!final.provisional)
        let finalMinutes = after.addingWorkingMinutes(390 * 2, to: start)
        #expect(try finalMinutes.instant == CalendarFixture.local("2027-01-05T10:00"))
        #expect(!finalMinutes.provisional)
        // Through the make-up Saturday.
        #expect(try after.addingWorkingDays(6, to: start).instant == CalendarFixture.iso("2027-01-09T17:30:00+08:00"))
        #expect(try after.day(CalendarFixture.date("2027-01-09")).kind == .makeUpWorkday(name: "元旦"))

        // The old calendar is unchanged: it is a value.
        #expect(before.loadedYears == [2024, 2025, 2026])
        #expect(before.addingWorkingDays(5, to: start) == provisional)
    }

    @Test("loading a year again replaces it")
    func replacing() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let nationalDay = try CalendarFixture.date("2025-10-01")
        #expect(!calendar.isWorkingDay(nationalDay))
        let emptied = calendar.loading(HolidayYear(year: 2025, source: "none", days: [:]))
        #expect(emptied.isWorkingDay(nationalDay))
        #expect(emptied.loadedYears == [2024, 2025, 2026])
        #expect(emptied.holidayYear(2025)?.source == "none")
        let start = try CalendarFixture.local("2025-09-30T10:15")
        #expect(try emptied.addingWorkingDays(1, to: start).instant == CalendarFixture.local("2025-10-01T17:30"))
        // 2024 and 2026 are untouched.
        #expect(try !emptied.isWorkingDay(CalendarFixture.date("2026-10-01")))
        #expect(try emptied.isWorkingDay(CalendarFixture.date("2026-10-10")))
    }

    @Test("loading a year far from the others keeps the gap weekend-only and provisional")
    func gap() throws {
        let far = HolidayYear(
            year: 2030, source: "test",
            days: [try CalendarFixture.date("2030-05-01"): DayOverride(name: "劳动节", isOffDay: true)])
        let calendar = WorkingCalendar.chinaMainland().loading(far)
        #expect(calendar.loadedYears == [2024, 2025, 2026, 2030])
        #expect(try !calendar.isWorkingDay(CalendarFixture.date("2030-05-01")))
        #expect(try calendar.day(CalendarFixture.date("2028-05-01")).provisional)
        let local = CalendarFixture.local
        #expect(try calendar.isProvisional(from: local("2026-12-01T09:00"), to: local("2030-01-02T09:00")))
        #expect(try !calendar.isProvisional(from: local("2024-01-01T00:00"), to: local("2026-12-31T23:59")))
        #expect(try !calendar.isProvisional(from: local("2030-06-01T09:00"), to: local("2030-03-01T09:00")))
        // 2027-2029 count as plain weeks: 2027-01-01 is a Friday.
        #expect(
            try calendar.workingDays(from: CalendarFixture.date("2027-01-01"), to: CalendarFixture.date("2027-01-08"))
                == 5)
    }

    @Test("construction refuses a year given twice; an empty calendar is all provisional weekdays")
    func construction() throws {
        #expect(throws: CalendarError.duplicateYear(2025)) {
            try WorkingCalendar(years: [ChinaHolidays.year2025, ChinaHolidays.year2024, ChinaHolidays.year2025])
        }
        #expect(throws: CalendarError.self) {
            try WorkingCalendar(years: [HolidayYear(year: 0, source: "", days: [:])])
        }
        let empty = try WorkingCalendar(years: [])
        #expect(empty.loadedYears.isEmpty)
        #expect(try empty.isWorkingDay(CalendarFixture.date("2025-10-01")))
        let start = try CalendarFixture.local("2025-09-30T10:15")
        let due = empty.addingWorkingDays(1, to: start)
        #expect(try due.instant == CalendarFixture.local("2025-10-01T17:30"))
        #expect(due.provisional)
        let shipped = try WorkingCalendar(years: ChinaHolidays.years.reversed())
        #expect(
            shipped.addingWorkingDays(3, to: start) == WorkingCalendar.chinaMainland().addingWorkingDays(3, to: start))
    }

    @Test("other office hours and zones")
    func officeHoursAndZone() throws {
        let hours = try OfficeHours(parsing: "09:00-17:00")
        let calendar = WorkingCalendar.chinaMainland(officeHours: hours)
        #expect(calendar.workingSecondsPerDay == 8 * 3600)
        let start = try CalendarFixture.local("2025-09-30T16:00")
        #expect(try calendar.addingWorkingMinutes(120, to: start).instant == CalendarFixture.local("2025-10-09T10:00"))
        #expect(try calendar.addingWorkingDays(1, to: start).instant == CalendarFixture.local("2025-10-09T17:00"))
        #expect(
            WorkingCalendar.chinaMainland().withOfficeHours(hours).addingWorkingDays(1, to: start)
                == calendar.addingWorkingDays(1, to: start))

        let utc = try WorkingCalendar(
            zone: CalendarZone(identifier: "UTC", utcOffsetSeconds: 0), years: ChinaHolidays.years)
        // 2025-09-30T20:00Z is 10-01 04:00 in Shanghai but still 09-30 in UTC.
        let instant = try CalendarFixture.iso("2025-09-30T20:00:00Z")
        #expect(utc.civilDate(of: instant).description == "2025-09-30")
        #expect(WorkingCalendar.chinaMainland().civilDate(of: instant).description == "2025-10-01")
        #expect(utc.zone.iso8601(utc.addingWorkingDays(1, to: instant).instant) == "2025-10-09T17:30:00Z")
        #expect(CalendarZone(identifier: "X", utcOffsetSeconds: -(3 * 3600 + 1800)).offsetText == "-03:30")
        #expect(CalendarZone.shanghai.offsetText == "+08:00")
    }

    @Test("the fingerprint changes with the holiday data and office hours, and only with them")
    func fingerprint() throws {
        let shipped = WorkingCalendar.chinaMainland()
        #expect(shipped.fingerprint.count == 16)
        #expect(shipped.fingerprint == WorkingCalendar.chinaMainland().fingerprint)
        #expect(shipped.fingerprint == (try WorkingCalendar(years: ChinaHolidays.years.reversed())).fingerprint)
        #expect(shipped.summary == "Asia/Shanghai +08:00, 08:30-12:00,14:30-17:30, holidays 2024-2026")

        let with2027 = shipped.loading(try Self.synthetic2027())
        #expect(with2027.fingerprint != shipped.fingerprint)
        #expect(with2027.summary.hasSuffix("holidays 2024-2027"))
        let longerDays = shipped.withOfficeHours(try OfficeHours(parsing: "08:00-12:00,14:00-18:00"))
        #expect(longerDays.fingerprint != shipped.fingerprint)
        // One day's meaning changed: a different fingerprint.
        var days = try #require(shipped.holidayYear(2026)).days
        days[try CalendarFixture.date("2026-01-04")] = DayOverride(name: "元旦", isOffDay: true)
        let edited = shipped.loading(HolidayYear(year: 2026, source: "edited", days: days))
        #expect(edited.fingerprint != shipped.fingerprint)
        #expect((try WorkingCalendar(years: [])).summary.hasSuffix("no holiday data"))
    }
}
