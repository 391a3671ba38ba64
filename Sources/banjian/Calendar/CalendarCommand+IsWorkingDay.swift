import ArgumentParser
import BanjianDomain

extension CalendarCommand {
    /// `banjian calendar is-working-day`: whether a date is a working day, and why.
    struct IsWorkingDay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "is-working-day",
            abstract: "Tell whether a date is a working day, and why."
        )

        @OptionGroup var options: CalendarOptions

        @Argument(help: ArgumentHelp("The date.", valueName: "YYYY-MM-DD"))
        var date: String

        func validate() throws {
            _ = try parsedDate()
        }

        func run() throws {
            print(try output())
        }

        /// The text (or JSON) that `run()` prints.
        func output() throws -> String {
            let calendar = try options.makeCalendar()
            return Self.render(calendar.day(try parsedDate()), json: options.json)
        }

        /// Formats a day: `yes`/`no`, the reason, and a provisional note when the year has no data.
        static func render(_ info: DayInfo, json: Bool) -> String {
            let (kind, name): (String, String?) =
                switch info.kind {
                case .workday: ("workday", nil)
                case .weekend: ("weekend", nil)
                case .holiday(let name): ("holiday", name)
                case .makeUpWorkday(let name): ("make-up working day", name)
                }
            if json {
                return CalendarJSON.encode(
                    Output(
                        date: info.date.description, working: info.kind.isWorking, kind: kind, name: name,
                        provisional: info.provisional))
            }
            var lines = [info.kind.isWorking ? "yes" : "no", name.map { "\(kind): \($0)" } ?? kind]
            if info.provisional {
                lines.append("provisional: no holiday data loaded for \(info.date.year), weekends only")
            }
            return lines.joined(separator: "\n")
        }

        private func parsedDate() throws -> CivilDate {
            guard let parsed = CivilDate(iso: date) else {
                throw ValidationError(CalendarError.invalidDate(date).description)
            }
            return parsed
        }

        private struct Output: Encodable {
            let date: String
            let working: Bool
            let kind: String
            let name: String?
            let provisional: Bool
        }
    }
}
