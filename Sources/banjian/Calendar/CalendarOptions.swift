import ArgumentParser
import BanjianDomain
import Foundation

/// Options shared by every `banjian calendar` subcommand.
struct CalendarOptions: ParsableArguments {
    @Option(
        name: .customLong("office-hours"),
        help: ArgumentHelp("Office hours of a working day.", valueName: "HH:MM-HH:MM,...")
    )
    var officeHours: String = OfficeHours.standard.text

    @Option(
        name: .customLong("holidays"),
        help: ArgumentHelp(
            "A holiday-cn year file to load (repeatable); replaces a built-in year.",
            valueName: "FILE.json")
    )
    var holidayFiles: [String] = []

    @Flag(name: .customLong("json"), help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        _ = try parsedOfficeHours()
    }

    /// The built-in China calendar with these office hours and the holiday files loaded, in order.
    ///
    /// - Parameter readFile: Reads a file's bytes; tests pass their own.
    /// - Throws: ``CalendarInputError`` naming the file at fault (it is only read when the command
    ///   runs, so the error carries no usage text); `ValidationError` for bad office hours.
    func makeCalendar(
        readFile: (String) throws -> Data = { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    ) throws -> WorkingCalendar {
        var calendar = WorkingCalendar.chinaMainland(officeHours: try parsedOfficeHours())
        for path in holidayFiles {
            let data: Data
            do {
                data = try readFile(path)
            } catch {
                throw CalendarInputError(
                    description: "cannot read holiday file '\(path)': \(error.localizedDescription)")
            }
            do {
                calendar = calendar.loading(try HolidayYear(holidayCNJSON: data))
            } catch {
                throw CalendarInputError(description: "holiday file '\(path)': \(error)")
            }
        }
        return calendar
    }

    private func parsedOfficeHours() throws -> OfficeHours {
        do {
            return try OfficeHours(parsing: officeHours)
        } catch {
            throw ValidationError("--office-hours: \(error)")
        }
    }
}
