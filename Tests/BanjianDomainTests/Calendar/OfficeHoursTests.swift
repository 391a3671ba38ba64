import BanjianDomain
import Foundation
import Testing

@Suite("Calendar: OfficeHours")
struct CalendarOfficeHoursTests {
    @Test("the standard hours are 08:30-12:00 and 14:30-17:30, 390 minutes")
    func standard() {
        #expect(OfficeHours.standard.intervals == [.init(start: 510, end: 720), .init(start: 870, end: 1050)])
        #expect(OfficeHours.standard.minutesPerDay == 390)
        #expect(OfficeHours.standard.text == "08:30-12:00,14:30-17:30")
    }

    @Test("parsing accepts spaces, one-digit hours, touching intervals and 24:00")
    func parsing() throws {
        #expect(try OfficeHours(parsing: "08:30-12:00,14:30-17:30") == .standard)
        #expect(try OfficeHours(parsing: " 8:30 - 12:00 , 14:30-17:30 ") == .standard)
        #expect(try OfficeHours(parsing: "00:00-24:00").minutesPerDay == 1440)
        let touching = try OfficeHours(parsing: "09:00-10:00,10:00-12:00")
        #expect(touching.intervals.count == 2 && touching.minutesPerDay == 180)
    }

    @Test(
        "bad office hours are refused with a reason",
        arguments: [
            "", "08:30", "08:30-12:00;14:30-17:30", "12:00-08:30", "08:30-08:30", "08:30-12:00,11:00-13:00",
            "14:30-17:30,08:30-12:00", "25:00-26:00", "08:60-09:00", "24:30-24:45", "08:30-12:00,",
            "0830-1200", "08:30:00-12:00", "a8:30-12:00", "-08:30-12:00", "24:00-24:00",
        ])
    func badHours(text: String) {
        #expect(throws: CalendarError.self) { try OfficeHours(parsing: text) }
    }

    @Test("errors name the offending interval")
    func errorMessages() {
        #expect(throws: CalendarError.invalidOfficeHours(reason: "12:00-08:30 does not end after it starts")) {
            try OfficeHours(parsing: "12:00-08:30")
        }
        #expect(throws: CalendarError.invalidOfficeHours(reason: "at least one interval is needed")) {
            try OfficeHours([])
        }
        #expect(
            throws: CalendarError.invalidOfficeHours(
                reason: "the interval of minutes [-1, 480) lies outside the day 00:00-24:00")
        ) {
            try OfficeHours([.init(start: -1, end: 480)])
        }
        do {
            _ = try OfficeHours(parsing: "08:30-12:00,11:00-13:00")
            Issue.record("overlap accepted")
        } catch {
            #expect(error.description.contains("11:00-13:00 overlaps or comes before 08:30-12:00"))
            #expect(error.description.hasPrefix("invalid office hours: "))
        }
    }

    @Test("Codable round-trips and re-checks on decode")
    func codable() throws {
        let data = try JSONEncoder().encode(OfficeHours.standard)
        #expect(try JSONDecoder().decode(OfficeHours.self, from: data) == .standard)
        let overlapping = Data(#"{"intervals":[{"start":600,"end":700},{"start":650,"end":800}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OfficeHours.self, from: overlapping) }
    }
}
