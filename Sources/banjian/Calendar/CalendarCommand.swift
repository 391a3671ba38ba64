import ArgumentParser

/// `banjian calendar`: the working-day calendar, from the command line.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Working days, holidays and deadlines in China's working-day calendar.",
        discussion: """
            Holidays and make-up working days (调休) for 2024-2026 are built in (holiday-cn, MIT \
            licence); load other years with --holidays FILE.json. Times are in Asia/Shanghai (+08:00).
            """,
        subcommands: [Add.self, IsWorkingDay.self, Between.self, Publish.self]
    )
}
