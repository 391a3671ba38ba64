import BanjianDomain
import Foundation
import Testing

@Suite("Calendar: HolidayYear (holiday-cn JSON)")
struct CalendarHolidayYearTests {
    @Test("the reference 2025 file parses")
    func parsesReference() throws {
        let year = try HolidayYear(holidayCNJSON: HolidayReference.data(2025))
        #expect(year.year == 2025)
        #expect(year.source == "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm")
        #expect(year.days.count == 33)
        #expect(try year.days[CalendarFixture.date("2025-10-01")] == DayOverride(name: "国庆节、中秋节", isOffDay: true))
        #expect(try year.days[CalendarFixture.date("2025-01-26")] == DayOverride(name: "春节", isOffDay: false))
    }

    static let badDocuments: [(json: String, reason: String)] = [
        ("not json", "not a JSON document"),
        ("[]", "the document should be a JSON object"),
        (#"{"year": 2025, "days": {}}"#, "field 'days' should be a JSON array"),
        (#"{"days": []}"#, "missing field 'year'"),
        (#"{"year": 2025}"#, "missing field 'days'"),
        (#"{"year": "2025", "days": []}"#, "field 'year' should be an integer"),
        (#"{"year": 2025, "days": [{"name": "元旦", "date": "2025-01-01"}]}"#, "missing field 'days[0].isOffDay'"),
        (
            #"{"year": 2025, "days": [{"name": "元旦", "date": "2025-01-01", "isOffDay": "yes"}]}"#,
            "field 'days[0].isOffDay' should be true or false"
        ),
        (
            #"{"year": 2025, "days": [{"name": "元旦", "date": null, "isOffDay": true}]}"#,
            "field 'days[0].date' is null, expected a string"
        ),
        (
            #"{"year": 2025, "days": [{"name": "x", "date": "2025-02-30", "isOffDay": true}]}"#,
            "days[0].date '2025-02-30' is not a real YYYY-MM-DD day"
        ),
        (
            #"{"year": 2025, "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true}]}"#,
            "days[0].date 2027-01-01 is too far from the file's year 2025"
        ),
        (
            #"{"year": 0, "days": []}"#,
            "year 0 is outside 0001-9999"
        ),
        (
            #"""
            {"year": 2025, "days": [{"name": "a", "date": "2025-05-01", "isOffDay": true},
                                    {"name": "a", "date": "2025-05-01", "isOffDay": false}]}
            """#,
            "2025-05-01 is listed twice with different meanings (a off, a working)"
        ),
    ]

    @Test("bad documents are refused with a clear reason", arguments: badDocuments)
    func badDocument(json: String, reason: String) {
        #expect(throws: CalendarError.invalidHolidayData(reason: reason)) {
            try HolidayYear(holidayCNJSON: Data(json.utf8))
        }
    }

    @Test("error descriptions read as sentences")
    func descriptions() {
        #expect(
            CalendarError.invalidHolidayData(reason: "missing field 'days'").description
                == "invalid holiday data: missing field 'days'")
        #expect(CalendarError.duplicateYear(2025).description == "holiday data for 2025 was given more than once")
        #expect(CalendarError.invalidDate("2025-02-30").description.contains("'2025-02-30' is not a valid date"))
    }

    @Test("identical duplicates, missing papers and extra fields are accepted")
    func lenient() throws {
        let json = #"""
            {"$schema": "x", "year": 2030, "extra": 1,
             "days": [{"name": "a", "date": "2030-05-01", "isOffDay": true},
                      {"name": "a", "date": "2030-05-01", "isOffDay": true}]}
            """#
        let year = try HolidayYear(holidayCNJSON: Data(json.utf8))
        #expect(year.days.count == 1)
        #expect(year.source == "holiday-cn 2030.json")
    }

    @Test("an entry in the neighbouring year is applied, the day's own year still decides provisional")
    func neighbouringYear() throws {
        // As in holiday-cn's 2012.json: 2011-12-31 (Saturday) was a make-up working day.
        let json = #"""
            {"year": 2012, "papers": ["p"], "days": [
                {"name": "元旦", "date": "2011-12-31", "isOffDay": false},
                {"name": "元旦", "date": "2012-01-02", "isOffDay": true}]}
            """#
        let calendar = try WorkingCalendar(years: [HolidayYear(holidayCNJSON: Data(json.utf8))])
        let saturday = try CalendarFixture.date("2011-12-31")
        #expect(calendar.day(saturday) == DayInfo(date: saturday, kind: .makeUpWorkday(name: "元旦"), provisional: true))
        #expect(
            try calendar.workingDays(from: CalendarFixture.date("2011-12-30"), to: CalendarFixture.date("2012-01-04"))
                == 3)

        // The owning year's own data wins over the neighbour's.
        let own = HolidayYear(year: 2011, source: "own", days: [saturday: DayOverride(name: "own", isOffDay: true)])
        let both = calendar.loading(own)
        #expect(both.day(saturday).kind == .holiday(name: "own"))
        #expect(!both.day(saturday).provisional)
    }
}
