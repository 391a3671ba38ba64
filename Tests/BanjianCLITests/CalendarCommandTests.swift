import ArgumentParser
import BanjianDomain
import Foundation
import Testing

@testable import banjian

@Suite("CLI: banjian calendar")
struct CalendarCommandTests {
    /// Parses a full command line from the root, as the executable does.
    private func command<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        let parsed = try Banjian.parseAsRoot(arguments)
        return try #require(parsed as? C, "parsed as \(Swift.type(of: parsed))")
    }

    /// The message and exit code the executable would print for bad input.
    private func failure(_ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            let parsed = try Banjian.parseAsRoot(arguments)
            if let add = parsed as? CalendarCommand.Add { _ = try add.output() }
            if let day = parsed as? CalendarCommand.IsWorkingDay { _ = try day.output() }
            if let between = parsed as? CalendarCommand.Between { _ = try between.output() }
            return nil
        } catch {
            return (Banjian.message(for: error), Banjian.exitCode(for: error).rawValue)
        }
    }

    // MARK: add

    @Test(
        "add working days across National Day 2025",
        arguments: [
            ("2025-09-30", "1", "2025-10-09T17:30:00+08:00"),
            ("2025-09-30T10:15", "3", "2025-10-11T17:30:00+08:00"),
            ("2025-09-30T10:15:00+08:00", "4", "2025-10-13T17:30:00+08:00"),
            ("2025-09-30T02:15:00Z", "5", "2025-10-14T17:30:00+08:00"),
            ("2025-09-30", "0", "2025-09-30T00:00:00+08:00"),
        ])
    func addWorkingDays(start: String, days: String, due: String) throws {
        let add = try command(["calendar", "add", start, "--working-days", days], as: CalendarCommand.Add.self)
        #expect(try add.output() == "\(due)\nprovisional: no")
    }

    @Test("add working minutes, text and JSON")
    func addWorkingMinutes() throws {
        let add = try command(
            ["calendar", "add", "2025-09-30T16:00", "--working-minutes", "120"], as: CalendarCommand.Add.self)
        #expect(try add.output() == "2025-10-09T09:00:00+08:00\nprovisional: no")
        let json = try command(
            ["calendar", "add", "2025-09-30T10:00", "--working-minutes", "120", "--json"], as: CalendarCommand.Add.self)
        #expect(try json.output() == #"{"instant":"2025-09-30T12:00:00+08:00","provisional":false}"#)
    }

    @Test("add into a year without data is provisional; --holidays loads it")
    func addProvisionalThenLoaded() throws {
        let provisional = try command(
            ["calendar", "add", "2026-12-30T10:00", "--working-days", "5"], as: CalendarCommand.Add.self)
        #expect(try provisional.output() == "2027-01-06T17:30:00+08:00\nprovisional: yes")

        let file = try Self.temporaryHolidayFile(Self.synthetic2027)
        defer { try? FileManager.default.removeItem(at: file) }
        let loaded = try command(
            ["calendar", "add", "2026-12-30T10:00", "--working-days", "5", "--holidays", file.path],
            as: CalendarCommand.Add.self)
        #expect(try loaded.output() == "2027-01-08T17:30:00+08:00\nprovisional: no")
    }

    @Test("--office-hours changes the day")
    func officeHours() throws {
        let add = try command(
            ["calendar", "add", "2025-09-30T16:00", "--working-minutes", "120", "--office-hours", "09:00-17:00"],
            as: CalendarCommand.Add.self)
        #expect(try add.output() == "2025-10-09T10:00:00+08:00\nprovisional: no")
    }

    // MARK: is-working-day

    @Test(
        "is-working-day gives the answer and the reason",
        arguments: [
            ("2025-10-01", "no\nholiday: 国庆节、中秋节"),
            ("2025-10-11", "yes\nmake-up working day: 国庆节、中秋节"),
            ("2025-10-12", "no\nweekend"),
            ("2025-10-09", "yes\nworkday"),
            ("2027-01-01", "yes\nworkday\nprovisional: no holiday data loaded for 2027, weekends only"),
        ])
    func isWorkingDay(date: String, expected: String) throws {
        let parsed = try command(["calendar", "is-working-day", date], as: CalendarCommand.IsWorkingDay.self)
        #expect(try parsed.output() == expected)
    }

    @Test("is-working-day --json")
    func isWorkingDayJSON() throws {
        let parsed = try command(
            ["calendar", "is-working-day", "2026-02-14", "--json"], as: CalendarCommand.IsWorkingDay.self)
        #expect(
            try parsed.output()
                == #"{"date":"2026-02-14","kind":"make-up working day","name":"春节","provisional":false,"working":true}"#
        )
    }

    // MARK: between

    @Test("between prints minutes, days + minutes, and working days between the dates")
    func between() throws {
        let parsed = try command(
            ["calendar", "between", "2025-09-30T10:00", "2025-10-13T09:00"], as: CalendarCommand.Between.self)
        // 09-30: 300 min; 10-09, 10-10, 10-11 (Saturday, make-up): 3 × 390; 10-13: 30 min.
        #expect(
            try parsed.output() == """
                working minutes: 1500
                working time: 3 working days + 330 minutes (390-minute office day)
                working days from 2025-09-30 to 2025-10-13: 4
                provisional: no
                """)
    }

    @Test("between backwards is negative; JSON has every figure")
    func betweenBackwardsAndJSON() throws {
        let backwards = try command(
            ["calendar", "between", "2025-10-09T09:00", "2025-09-30T10:00"], as: CalendarCommand.Between.self)
        #expect(
            try backwards.output() == """
                working minutes: -330
                working time: -(0 working days + 330 minutes) (390-minute office day)
                working days from 2025-10-09 to 2025-09-30: -1
                provisional: no
                """)
        let json = try command(
            ["calendar", "between", "2025-09-30", "2025-10-09", "--json"], as: CalendarCommand.Between.self)
        #expect(
            try json.output()
                == #"{"from":"2025-09-30","officeDayMinutes":390,"provisional":false,"remainderMinutes":0,"#
                + #""to":"2025-10-09","wholeWorkingDays":1,"workingDaysBetweenDates":1,"workingMinutes":390,"#
                + #""workingSeconds":23400}"#)
    }

    // MARK: bad input

    @Test(
        "bad input gives a clear message and a non-zero exit code",
        arguments: [
            (["calendar", "add", "2025-09-30"], "give exactly one of --working-days and --working-minutes"),
            (
                ["calendar", "add", "2025-09-30", "--working-days", "1", "--working-minutes", "5"],
                "give exactly one of --working-days and --working-minutes"
            ),
            (["calendar", "add", "2025-09-31", "--working-days", "1"], "'2025-09-31' is not a date or instant"),
            (
                ["calendar", "add", "2025-09-30T25:00", "--working-days", "1"],
                "'2025-09-30T25:00' is not a date or instant"
            ),
            (["calendar", "add", "tomorrow", "--working-days", "1"], "'tomorrow' is not a date or instant"),
            (["calendar", "add", "2025-09-30", "--working-days", "x"], "--working-days"),
            (["calendar", "add", "2025-09-30", "--working-minutes=-5"], "--working-minutes must be 0 or more"),
            (
                ["calendar", "add", "2025-09-30", "--working-days", "1", "--office-hours", "12:00-08:00"],
                "--office-hours: invalid office hours: 12:00-08:00 does not end after it starts"
            ),
            (["calendar", "is-working-day", "2025-02-29"], "'2025-02-29' is not a valid date"),
            (["calendar", "between", "2025-09-30"], "Missing expected argument '<to>'"),
            (
                ["calendar", "add", "2025-09-30", "--working-days", "1", "--holidays", "/nonexistent/2027.json"],
                "cannot read holiday file '/nonexistent/2027.json'"
            ),
        ])
    func badInput(arguments: [String], message: String) throws {
        let result = try #require(failure(arguments), "accepted: \(arguments)")
        #expect(result.message.contains(message), "\(result.message)")
        #expect(result.code != 0)
    }

    @Test("a malformed holiday file is refused with the file name and the reason")
    func badHolidayFile() throws {
        let file = try Self.temporaryHolidayFile(
            #"{"year": 2027, "days": [{"name": "x", "date": "2027-13-01", "isOffDay": true}]}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try #require(failure(["calendar", "is-working-day", "2027-01-01", "--holidays", file.path]))
        #expect(result.message.contains("holiday file '\(file.path)': invalid holiday data: days[0].date '2027-13-01'"))
        #expect(result.code != 0)
    }

    @Test("date-or-instant forms")
    func calendarTime() throws {
        let zone = CalendarZone.shanghai
        let expected = Date(timeIntervalSince1970: 1_759_198_500)  // 2025-09-30T02:15:00Z
        for text in [
            "2025-09-30T10:15", "2025-09-30T10:15:00", "2025-09-30T10:15:00+08:00", "2025-09-30T02:15:00Z",
            "2025-09-29T21:15:00-05:00", "2025-09-30 10:15",
        ] {
            #expect(try CalendarTime(parsing: text).instant(in: zone) == expected, "\(text)")
        }
        #expect(try CalendarTime(parsing: "2025-09-30").instant(in: zone) == Date(timeIntervalSince1970: 1_759_161_600))
        for text in [
            "2025-09-30T10", "2025-09-30T10:15:60", "2025-09-30T10:15+8", "2025-09-30X10:15",
            "2025-09-30T10:15:00+24:00",
        ] {
            #expect(throws: ValidationError.self) { try CalendarTime(parsing: text) }
        }
    }

    // MARK: Fixtures

    static let synthetic2027 = """
        {"year": 2027, "papers": ["synthetic"], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "元旦", "date": "2027-01-04", "isOffDay": true},
            {"name": "元旦", "date": "2027-01-09", "isOffDay": false}]}
        """

    static func temporaryHolidayFile(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("banjian-calendar-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }
}
