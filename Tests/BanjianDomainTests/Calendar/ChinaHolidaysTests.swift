import BanjianDomain
import Foundation
import Testing

@Suite("Calendar: shipped China holiday data")
struct CalendarChinaHolidaysTests {
    @Test(
        "every day of 2024-2026 matches the holiday-cn JSON, the rest follow the week", arguments: [2024, 2025, 2026])
    func everyDay(year: Int) throws {
        let raw = try HolidayReference.rawDays(year)
        #expect(!raw.isEmpty)
        let calendar = WorkingCalendar.chinaMainland()
        var date = try #require(CivilDate(year: year, month: 1, day: 1))
        var checked = 0
        var listed = 0
        while date.year == year {
            let info = calendar.day(date)
            #expect(info.date == date)
            #expect(!info.provisional)
            if let entry = raw[date.description] {
                listed += 1
                let expected: DayKind = entry.isOffDay ? .holiday(name: entry.name) : .makeUpWorkday(name: entry.name)
                #expect(info.kind == expected, "\(date)")
            } else {
                #expect(info.kind == (date.weekday.isWeekend ? .weekend : .workday), "\(date)")
            }
            #expect(calendar.isWorkingDay(date) == info.kind.isWorking, "\(date)")
            checked += 1
            date = date.adding(days: 1)
        }
        #expect(checked == (CivilDate.isLeapYear(year) ? 366 : 365))
        #expect(listed == raw.filter { $0.key.hasPrefix("\(year)-") }.count)
    }

    @Test(
        "the generated Swift data equals the parsed JSON (the generator output is current)",
        arguments: [2024, 2025, 2026])
    func generatedMatchesJSON(year: Int) throws {
        let parsed = try HolidayYear(holidayCNJSON: HolidayReference.data(year))
        let shipped = try #require(ChinaHolidays.years.first { $0.year == year })
        #expect(shipped == parsed)
    }

    @Test("working days per year")
    func yearTotals() throws {
        let calendar = WorkingCalendar.chinaMainland()
        #expect(calendar.loadedYears == [2024, 2025, 2026])
        for (year, expected) in [(2024, 251), (2025, 248), (2026, 248)] {
            let first = try #require(CivilDate(year: year, month: 1, day: 1))
            let next = try #require(CivilDate(year: year + 1, month: 1, day: 1))
            #expect(calendar.workingDays(from: first, to: next) == expected, "\(year)")
        }
    }

    @Test("day kinds around the 2025 and 2026 festivals")
    func festivalDays() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let cases: [(String, DayKind)] = [
            ("2025-01-26", .makeUpWorkday(name: "春节")), ("2025-01-28", .holiday(name: "春节")),
            ("2025-02-08", .makeUpWorkday(name: "春节")), ("2025-02-09", .weekend),
            ("2025-09-28", .makeUpWorkday(name: "国庆节、中秋节")), ("2025-10-04", .holiday(name: "国庆节、中秋节")),
            ("2025-10-11", .makeUpWorkday(name: "国庆节、中秋节")), ("2025-10-09", .workday),
            ("2026-02-14", .makeUpWorkday(name: "春节")), ("2026-02-23", .holiday(name: "春节")),
            ("2026-02-28", .makeUpWorkday(name: "春节")), ("2026-09-20", .makeUpWorkday(name: "国庆节")),
            ("2026-09-25", .holiday(name: "中秋节")), ("2026-10-10", .makeUpWorkday(name: "国庆节")),
        ]
        for (text, kind) in cases {
            #expect(try calendar.day(CalendarFixture.date(text)).kind == kind, "\(text)")
        }
    }

    @Test("years without data fall back to weekends and are provisional")
    func unloadedYears() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let newYear2027 = try CalendarFixture.date("2027-01-01")
        #expect(calendar.day(newYear2027) == DayInfo(date: newYear2027, kind: .workday, provisional: true))
        let sunday = try CalendarFixture.date("2023-10-01")
        #expect(calendar.day(sunday) == DayInfo(date: sunday, kind: .weekend, provisional: true))
    }
}
