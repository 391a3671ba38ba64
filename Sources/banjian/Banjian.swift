import ArgumentParser

/// The `banjian` command: one program for every node of a county's federation.
@main
struct Banjian: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "banjian",
        abstract: "Banjian: the case system of China's grassroots service centres.",
        subcommands: [DemoCommand.self, InitCommand.self, CertCommand.self, ServeCommand.self, OperatorCommand.self, ChildCommand.self, LinkCommand.self, ReportCommand.self, OrderCommand.self, PetitionCommand.self, ComplaintCommand.self, WatchCommand.self, DatabaseCommand.self, CatalogueCommand.self, CaseCommand.self, CalendarCommand.self]
    )
}
