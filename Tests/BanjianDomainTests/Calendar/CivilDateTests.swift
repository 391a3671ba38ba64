import BanjianDomain
import Foundation
import Testing

@Suite("Calendar: CivilDate")
struct CalendarCivilDateTests {
    @Test(
        "valid dates, including leap days",
        arguments: [
            (2024, 2, 29), (2000, 2, 29), (2025, 12, 31), (1, 1, 1), (9999, 12, 31), (1970, 1, 1),
        ])
    func validDates(year: Int, month: Int, day: Int) throws {
        let date = try #require(CivilDate(year: year, month: month, day: day))
        #expect(date.year == year && date.month == month && date.day == day)
    }

    @Test(
        "invalid dates are refused",
        arguments: [
            (2025, 2, 29), (1900, 2, 29), (2100, 2, 29), (2025, 4, 31), (2025, 13, 1), (2025, 0, 1),
            (2025, 1, 0), (2025, 1, 32), (0, 1, 1), (10_000, 1, 1), (-5, 3, 1),
        ])
    func invalidDates(year: Int, month: Int, day: Int) {
        #expect(CivilDate(year: year, month: month, day: day) == nil)
    }

    @Test(
        "ISO text parsing accepts only YYYY-MM-DD of a real day",
        arguments: [
            ("2025-10-01", true), ("2024-02-29", true), ("2025-02-29", false), ("2025-1-01", false),
            ("2025-10-1", false), (" 2025-10-01", false), ("2025-10-01 ", false), ("2025/10/01", false),
            ("20251001", false), ("abcd-10-01", false), ("2025-1a-01", false), ("", false), ("0000-01-01", false),
            ("+025-10-01", false),
        ])
    func isoParsing(text: String, valid: Bool) {
        let date = CivilDate(iso: text)
        #expect((date != nil) == valid)
        if let date { #expect(date.description == text) }
    }

    @Test("known day numbers and weekdays")
    func knownDayNumbers() throws {
        #expect(try CalendarFixture.date("1970-01-01").dayNumber == 0)
        #expect(try CalendarFixture.date("1969-12-31").dayNumber == -1)
        #expect(try CalendarFixture.date("2000-03-01").dayNumber == 11_017)
        #expect(try CalendarFixture.date("2025-10-01").dayNumber == 20_362)
        #expect(try CalendarFixture.date("1970-01-01").weekday == .thursday)
        #expect(try CalendarFixture.date("2025-10-01").weekday == .wednesday)
        #expect(try CalendarFixture.date("2025-09-28").weekday == .sunday)
        #expect(try CalendarFixture.date("1900-01-01").weekday == .monday)
        #expect(CivilDate(dayNumber: 20_362).description == "2025-10-01")
    }

    @Test("every day 1899-2201 agrees with Foundation's Gregorian calendar")
    func agreesWithFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try #require(TimeZone(secondsFromGMT: 0))
        let first = try CalendarFixture.date("1899-01-01").dayNumber
        let end = try CalendarFixture.date("2202-01-01").dayNumber
        for number in first..<end {
            let date = CivilDate(dayNumber: number)
            let midnight = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: midnight)
            #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day)
            // Foundation numbers Sunday 1 ... Saturday 7; ISO Monday 1 ... Sunday 7.
            #expect(date.weekday.rawValue == ((parts.weekday ?? 0) + 5) % 7 + 1)
            #expect(date.dayNumber == number)
            #expect(CivilDate(iso: date.description) == date)
        }
    }

    @Test("day numbers round-trip across the whole supported range")
    func roundTripWholeRange() {
        var number = CivilDate.supportedDayNumbers.lowerBound
        var previous: CivilDate?
        while number <= CivilDate.supportedDayNumbers.upperBound {
            let date = CivilDate(dayNumber: number)
            #expect(date.dayNumber == number)
            if let previous { #expect(previous < date) }
            previous = date
            number += 97  // a stride coprime with every calendar period
        }
        #expect(CivilDate(dayNumber: CivilDate.supportedDayNumbers.lowerBound).description == "0001-01-01")
        #expect(CivilDate(dayNumber: CivilDate.supportedDayNumbers.upperBound).description == "9999-12-31")
    }

    @Test("day numbers outside the range clamp instead of trapping")
    func clamping() {
        #expect(CivilDate(dayNumber: .max).description == "9999-12-31")
        #expect(CivilDate(dayNumber: .min).description == "0001-01-01")
    }

    @Test("adding days and ordering")
    func addingAndOrdering() throws {
        let date = try CalendarFixture.date("2024-02-28")
        #expect(date.adding(days: 1).description == "2024-02-29")
        #expect(date.adding(days: 2).description == "2024-03-01")
        #expect(date.adding(days: -59).description == "2023-12-31")
        #expect(date.adding(days: 366).description == "2025-02-28")
        #expect(try CalendarFixture.date("2025-01-31") < CalendarFixture.date("2025-02-01"))
        #expect(try CalendarFixture.date("2024-12-31") < CalendarFixture.date("2025-01-01"))
        #expect(try !(CalendarFixture.date("2025-01-01") < CalendarFixture.date("2025-01-01")))
    }

    @Test("Codable uses the YYYY-MM-DD string and refuses impossible days")
    func codable() throws {
        let date = try CalendarFixture.date("2025-10-01")
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-10-01"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2025-02-30"]"#.utf8))
        }
    }
}
