import ArgumentParser

/// The load generator and federation simulator.
@main
struct BanjianLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "banjian-load",
        abstract: "Load runs against the Banjian scheduler and federation.",
        subcommands: [WheelLoadCommand.self, NodeLoadCommand.self, LinkLoadCommand.self, ReportsLoadCommand.self]
    )
}
