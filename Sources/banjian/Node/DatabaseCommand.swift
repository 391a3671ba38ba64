import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianStore
import Foundation

/// `banjian db …`: maintenance of a node's database file.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain a node's database: rebuild the case projections, statistics and score facts from the event log.",
        discussion: "Exit codes: 0 done; 1 the projections differ (--check) or the log does not replay; 64 bad usage; 78 invalid config.",
        subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay every case's events and rewrite the projections (cases, clocks, pending rungs, statistics, score facts) that differ.",
            discussion: """
                The events are the truth; the projections are derived from them with the node's settings and calendar \
                (from --config). Stop the node first: a running node's deadline wheel holds the rungs it read at start. \
                --check only compares, and is safe while the node runs.
                """)
        @Option(help: "The node's config file (gives the database, the settings and the calendar).") var config: String
        @Flag(help: "Only compare; exit 1 when a projection differs.") var check = false

        func run() async throws {
            let resolved = try NodeConfig.loadForCommand(path: config)
            guard FileManager.default.fileExists(atPath: resolved.databasePath) else {
                throw ValidationError("no database at \(resolved.databasePath): run 'banjian init' first")
            }
            let pending = try NodeDatabase.pendingMigrations(path: resolved.databasePath)
            if check, !pending.isEmpty {
                FileHandle.standardError.write(Data("banjian: the database needs migrations (\(pending.joined(separator: ", "))): --check does not write; start the node, or rebuild without --check with the node stopped\n".utf8))
                throw ExitCode(1)
            }
            let database = try NodeDatabase(path: resolved.databasePath)
            defer { try? database.close(checkpointing: !check) }
            let log = CaseLog(node: resolved.code, parent: resolved.parent?.code,
                              machine: CaseStateMachine(settings: resolved.settings, calendar: resolved.calendar))
            let report: ProjectionRebuild
            do {
                report = try await database.rebuildProjections(log, rewriting: !check)
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("banjian: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
            print("replayed \(report.events) events of \(report.cases) cases")
            for number in report.differing { print("\(check ? "differs" : "rewritten"): \(number)") }
            print(report.differing.isEmpty ? "every projection matches its events" : "\(report.differing.count) projections \(check ? "differ" : "rewritten")")
            print(report.countsDiffer ? "statistics and score facts \(check ? "differ from" : "recounted from") the events" : "statistics and score facts match the events")
            if check && (!report.differing.isEmpty || report.countsDiffer) { throw ExitCode(1) }
        }
    }
}
