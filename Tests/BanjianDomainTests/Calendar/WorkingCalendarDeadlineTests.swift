import BanjianDomain
import Foundation
import Testing

/// Hand-checked deadlines across Spring Festival and National Day, 2025 and 2026, with the
/// 调休 weekend working days. Expected instants were worked out on a paper calendar from the
/// State Council notices and cross-checked with a throwaway day-by-day script.
@Suite("Calendar: hand-checked deadlines")
struct WorkingCalendarDeadlineTests {
    static let workingDayCases: [(start: String, days: Int, due: String)] = [
        // National Day 2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 working.
        ("2025-09-30T10:15", 1, "2025-10-09T17:30:00+08:00"),
        ("2025-09-30T10:15", 2, "2025-10-10T17:30:00+08:00"),
        ("2025-09-30T10:15", 3, "2025-10-11T17:30:00+08:00"),  // Saturday, make-up day
        ("2025-09-30T10:15", 4, "2025-10-13T17:30:00+08:00"),
        ("2025-09-30T10:15", 5, "2025-10-14T17:30:00+08:00"),
        ("2025-09-26T16:00", 1, "2025-09-28T17:30:00+08:00"),  // Sunday, make-up day
        ("2025-09-26T16:00", 2, "2025-09-29T17:30:00+08:00"),
        ("2025-09-26T16:00", 4, "2025-10-09T17:30:00+08:00"),
        ("2025-09-30T23:59", 1, "2025-10-09T17:30:00+08:00"),  // the start day never counts
        ("2025-10-03T09:00", 1, "2025-10-09T17:30:00+08:00"),  // starting inside the holiday
        // Spring Festival 2025: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 working.
        ("2025-01-24T09:00", 1, "2025-01-26T17:30:00+08:00"),
        ("2025-01-24T09:00", 2, "2025-01-27T17:30:00+08:00"),
        ("2025-01-24T09:00", 3, "2025-02-05T17:30:00+08:00"),
        ("2025-01-24T09:00", 6, "2025-02-08T17:30:00+08:00"),
        ("2025-01-24T09:00", 7, "2025-02-10T17:30:00+08:00"),
        // Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 working.
        ("2026-02-13T09:00", 1, "2026-02-14T17:30:00+08:00"),
        ("2026-02-13T09:00", 2, "2026-02-24T17:30:00+08:00"),
        ("2026-02-26T09:00", 2, "2026-02-28T17:30:00+08:00"),
        // Mid-Autumn and National Day 2026: Sunday 09-20 working, 09-25 off, 10-01..10-07 off,
        // Saturday 10-10 working.
        ("2026-09-18T09:00", 1, "2026-09-20T17:30:00+08:00"),
        ("2026-09-24T09:00", 1, "2026-09-28T17:30:00+08:00"),
        ("2026-09-30T09:00", 1, "2026-10-08T17:30:00+08:00"),
        ("2026-09-30T09:00", 3, "2026-10-10T17:30:00+08:00"),
        // Across a year end: 2026-01-01..03 off, Sunday 2026-01-04 working.
        ("2025-12-31T09:00", 1, "2026-01-04T17:30:00+08:00"),
        ("2024-12-31T09:00", 1, "2025-01-02T17:30:00+08:00"),
    ]

    @Test("n working days: close of office on the n-th working day after the start day", arguments: workingDayCases)
    func workingDays(start: String, days: Int, due: String) throws {
        let calendar = WorkingCalendar.chinaMainland()
        let result = calendar.addingWorkingDays(days, to: try CalendarFixture.local(start))
        #expect(try result.instant == CalendarFixture.iso(due))
        #expect(calendar.zone.iso8601(result.instant) == due)
        #expect(!result.provisional)
    }

    static let workingMinuteCases: [(start: String, minutes: Int, due: String)] = [
        ("2025-09-30T16:00", 120, "2025-10-09T09:00:00+08:00"),  // over National Day
        ("2025-09-30T10:00", 120, "2025-09-30T12:00:00+08:00"),  // ends at noon, not 14:30
        ("2025-09-30T10:00", 121, "2025-09-30T14:31:00+08:00"),
        ("2025-09-30T12:30", 60, "2025-09-30T15:30:00+08:00"),  // from the lunch break
        ("2025-09-30T17:30", 1, "2025-10-09T08:31:00+08:00"),  // from the close of office
        ("2025-09-30T23:00", 390, "2025-10-09T17:30:00+08:00"),  // a whole day ends at 17:30
        ("2025-09-30T00:00", 390, "2025-09-30T17:30:00+08:00"),
        ("2025-01-27T17:00", 60, "2025-02-05T09:00:00+08:00"),  // over Spring Festival
        ("2025-01-24T16:30", 780, "2025-01-27T16:30:00+08:00"),  // through Sunday 01-26 (make-up)
        ("2026-02-13T17:00", 30, "2026-02-13T17:30:00+08:00"),
        ("2026-02-13T17:00", 31, "2026-02-14T08:31:00+08:00"),  // Saturday make-up day
        ("2026-02-14T17:00", 31, "2026-02-24T08:31:00+08:00"),  // then nine days off
        ("2026-09-19T10:00", 1, "2026-09-20T08:31:00+08:00"),  // Saturday → Sunday make-up day
    ]

    @Test("n working minutes skip nights, lunch, weekends and holidays", arguments: workingMinuteCases)
    func workingMinutes(start: String, minutes: Int, due: String) throws {
        let calendar = WorkingCalendar.chinaMainland()
        let from = try CalendarFixture.local(start)
        let result = calendar.addingWorkingMinutes(minutes, to: from)
        #expect(try result.instant == CalendarFixture.iso(due))
        #expect(!result.provisional)
        #expect(calendar.workingSeconds(from: from, to: result.instant) == Int64(minutes) * 60)
    }

    @Test("zero adds nothing; working seconds are signed")
    func zeroAndSign() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let start = try CalendarFixture.local("2025-10-02T10:00")  // a holiday
        #expect(calendar.addingWorkingDays(0, to: start).instant == start)
        #expect(calendar.addingWorkingMinutes(0, to: start).instant == start)
        let a = try CalendarFixture.local("2025-09-30T10:00")
        let b = try CalendarFixture.local("2025-10-09T09:00")
        #expect(calendar.workingSeconds(from: a, to: b) == (120 + 180 + 30) * 60)
        #expect(calendar.workingSeconds(from: b, to: a) == -(120 + 180 + 30) * 60)
        #expect(calendar.workingSeconds(from: a, to: a) == 0)
        #expect(calendar.workingSecondsPerDay == 23_400)
    }

    @Test("negative amounts move back")
    func negative() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let start = try CalendarFixture.local("2025-10-09T09:00")
        // The earliest instant 30 working minutes back is the previous close, not 08:30.
        #expect(try calendar.addingWorkingMinutes(-30, to: start).instant == CalendarFixture.local("2025-09-30T17:30"))
        #expect(try calendar.addingWorkingMinutes(-31, to: start).instant == CalendarFixture.local("2025-09-30T17:29"))
        #expect(try calendar.addingWorkingDays(-1, to: start).instant == CalendarFixture.local("2025-09-30T17:30"))
        let afterLunch = try CalendarFixture.local("2025-09-30T14:30")
        #expect(
            try calendar.addingWorkingMinutes(-1, to: afterLunch).instant == CalendarFixture.local("2025-09-30T11:59"))
    }

    @Test("working days between dates count [from, to)")
    func workingDaysBetweenDates() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let cases: [(String, String, Int)] = [
            ("2025-09-30", "2025-10-09", 1), ("2025-09-30", "2025-10-13", 4), ("2025-10-13", "2025-09-30", -4),
            ("2025-10-01", "2025-10-08", 0), ("2025-01-25", "2025-02-10", 6), ("2026-02-14", "2026-03-02", 6),
            ("2025-05-05", "2025-05-05", 0),
        ]
        for (from, to, expected) in cases {
            let days = calendar.workingDays(from: try CalendarFixture.date(from), to: try CalendarFixture.date(to))
            #expect(days == expected, "\(from) → \(to)")
        }
    }

    @Test("the n-th working day after a date")
    func workingDayAfterDate() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let start = try CalendarFixture.date("2025-09-30")
        #expect(try calendar.addingWorkingDays(1, to: start) == CalendarFixture.date("2025-10-09"))
        #expect(try calendar.addingWorkingDays(3, to: start) == CalendarFixture.date("2025-10-11"))
        #expect(try calendar.addingWorkingDays(-2, to: start) == CalendarFixture.date("2025-09-28"))
        #expect(calendar.addingWorkingDays(0, to: start) == start)
    }

    @Test("local days, midnights, fractional seconds and clamping at the supported range")
    func zoneAndEdges() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let date = try CalendarFixture.date("2025-10-01")
        #expect(try calendar.startOfDay(date) == CalendarFixture.iso("2025-09-30T16:00:00Z"))
        #expect(try calendar.civilDate(of: CalendarFixture.iso("2025-09-30T15:59:59Z")).description == "2025-09-30")
        #expect(try calendar.civilDate(of: CalendarFixture.iso("2025-09-30T16:00:00Z")) == date)
        #expect(try calendar.closeOfOffice(on: date) == CalendarFixture.local("2025-10-01T17:30"))
        // Fractional seconds are floored.
        let start = try CalendarFixture.local("2025-09-30T10:00").addingTimeInterval(0.75)
        let result = calendar.addingWorkingSeconds(60, to: start)
        #expect(try result.instant == CalendarFixture.local("2025-09-30T10:01"))
        #expect(calendar.workingSeconds(from: start, to: result.instant) == 60)
        // Out-of-range inputs clamp instead of trapping.
        let far = calendar.addingWorkingSeconds(.max, to: start)
        #expect(calendar.civilDate(of: far.instant).year == 9999)
        #expect(far.provisional)
        let back = calendar.addingWorkingSeconds(.min, to: start)
        #expect(calendar.civilDate(of: back.instant).year == 1)
        #expect(calendar.addingWorkingDays(.max, to: start).provisional)
        #expect(calendar.addingWorkingMinutes(.min, to: start).provisional)
        #expect(calendar.civilDate(of: Date(timeIntervalSince1970: .nan)).description == "0001-01-01")
        #expect(calendar.civilDate(of: .distantFuture).description == "4001-01-01")
        #expect(calendar.civilDate(of: Date(timeIntervalSince1970: 1e300)).description == "9999-12-31")
    }
}
