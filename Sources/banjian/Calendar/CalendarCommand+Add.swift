import ArgumentParser
import BanjianDomain
import Foundation

extension CalendarCommand {
    /// `banjian calendar add`: a deadline from a start and a budget of working days or minutes.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add working days or working minutes to a date or instant.",
            discussion: """
                --working-days N gives the close of office on the N-th working day after the \
                start's day (the start day itself is not counted). --working-minutes N counts \
                office time only, skipping nights, lunch breaks, weekends and holidays.
                """
        )

        @OptionGroup var options: CalendarOptions

        @Argument(help: ArgumentHelp("The start: \(CalendarTime.formats).", valueName: "date-or-instant"))
        var start: String

        @Option(name: .customLong("working-days"), help: "Working days to add (0 or more).")
        var workingDays: Int?

        @Option(name: .customLong("working-minutes"), help: "Working minutes to add (0 or more).")
        var workingMinutes: Int?

        func validate() throws {
            _ = try CalendarTime(parsing: start)
            switch (workingDays, workingMinutes) {
            case (nil, nil), (.some, .some):
                throw ValidationError("give exactly one of --working-days and --working-minutes")
            case (let days?, nil) where days < 0:
                throw ValidationError("--working-days must be 0 or more, not \(days)")
            case (nil, let minutes?) where minutes < 0:
                throw ValidationError("--working-minutes must be 0 or more, not \(minutes)")
            default:
                break
            }
        }

        func run() throws {
            print(try output())
        }

        /// The text (or JSON) that `run()` prints.
        func output() throws -> String {
            let calendar = try options.makeCalendar()
            let instant = try CalendarTime(parsing: start).instant(in: calendar.zone)
            let result =
                if let workingDays {
                    calendar.addingWorkingDays(workingDays, to: instant)
                } else {
                    calendar.addingWorkingMinutes(workingMinutes ?? 0, to: instant)
                }
            return Self.render(result, zone: calendar.zone, json: options.json)
        }

        /// Formats a result: the local instant with its offset, then whether it is provisional.
        static func render(_ result: ProjectedInstant, zone: CalendarZone, json: Bool) -> String {
            let instant = zone.iso8601(result.instant)
            if json {
                return CalendarJSON.encode(Output(instant: instant, provisional: result.provisional))
            }
            return "\(instant)\nprovisional: \(result.provisional ? "yes" : "no")"
        }

        private struct Output: Encodable {
            let instant: String
            let provisional: Bool
        }
    }
}
