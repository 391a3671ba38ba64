import ArgumentParser
import BanjianDomain
import Foundation

extension CalendarCommand {
    /// `banjian calendar between`: the working time between two dates or instants.
    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "between",
            abstract: "Working time between two dates or instants.",
            discussion: """
                Prints the office time in [from, to) in minutes and as whole office days plus \
                minutes, and the working days among the local days [from's day, to's day). \
                Negative when <to> is before <from>.
                """
        )

        @OptionGroup var options: CalendarOptions

        @Argument(help: ArgumentHelp("The start: \(CalendarTime.formats).", valueName: "from"))
        var from: String

        @Argument(help: ArgumentHelp("The end, in the same forms.", valueName: "to"))
        var to: String

        func validate() throws {
            _ = try CalendarTime(parsing: from)
            _ = try CalendarTime(parsing: to)
        }

        func run() throws {
            print(try output())
        }

        /// The text (or JSON) that `run()` prints.
        func output() throws -> String {
            let calendar = try options.makeCalendar()
            let a = try CalendarTime(parsing: from).instant(in: calendar.zone)
            let b = try CalendarTime(parsing: to).instant(in: calendar.zone)
            return Self.render(Summary(calendar: calendar, from: a, to: b), json: options.json)
        }

        /// The working time between two instants, in the units `between` prints.
        struct Summary: Equatable {
            let from: CivilDate
            let to: CivilDate
            let workingSeconds: Int64
            let officeDayMinutes: Int
            let workingDaysBetweenDates: Int
            let provisional: Bool

            init(calendar: WorkingCalendar, from a: Date, to b: Date) {
                from = calendar.civilDate(of: a)
                to = calendar.civilDate(of: b)
                workingSeconds = calendar.workingSeconds(from: a, to: b)
                officeDayMinutes = calendar.officeHours.minutesPerDay
                workingDaysBetweenDates = calendar.workingDays(from: from, to: to)
                provisional = calendar.isProvisional(from: a, to: b)
            }

            /// Whole working minutes, truncated toward zero.
            var workingMinutes: Int64 { workingSeconds / 60 }
            /// Whole office days in ``workingMinutes``.
            var wholeDays: Int64 { abs(workingMinutes) / Int64(officeDayMinutes) }
            /// Minutes left over after ``wholeDays``.
            var remainderMinutes: Int64 { abs(workingMinutes) % Int64(officeDayMinutes) }
        }

        /// Formats a summary as text lines or one JSON object.
        static func render(_ summary: Summary, json: Bool) -> String {
            if json {
                return CalendarJSON.encode(
                    Output(
                        from: summary.from.description, to: summary.to.description,
                        workingSeconds: summary.workingSeconds, workingMinutes: summary.workingMinutes,
                        officeDayMinutes: summary.officeDayMinutes, wholeWorkingDays: summary.wholeDays,
                        remainderMinutes: summary.remainderMinutes,
                        workingDaysBetweenDates: summary.workingDaysBetweenDates,
                        provisional: summary.provisional))
            }
            let leftoverSeconds = abs(summary.workingSeconds) % 60
            var minutesLine = "working minutes: \(summary.workingMinutes)"
            if leftoverSeconds != 0 { minutesLine += " and \(leftoverSeconds) seconds" }
            let split =
                "\(summary.wholeDays) working day\(summary.wholeDays == 1 ? "" : "s") + "
                + "\(summary.remainderMinutes) minutes"
            return [
                minutesLine,
                "working time: \(summary.workingSeconds < 0 ? "-(\(split))" : split) "
                    + "(\(summary.officeDayMinutes)-minute office day)",
                "working days from \(summary.from) to \(summary.to): \(summary.workingDaysBetweenDates)",
                "provisional: \(summary.provisional ? "yes" : "no")",
            ].joined(separator: "\n")
        }

        private struct Output: Encodable {
            let from: String
            let to: String
            let workingSeconds: Int64
            let workingMinutes: Int64
            let officeDayMinutes: Int
            let wholeWorkingDays: Int64
            let remainderMinutes: Int64
            let workingDaysBetweenDates: Int
            let provisional: Bool
        }
    }
}
