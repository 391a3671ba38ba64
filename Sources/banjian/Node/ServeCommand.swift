import ArgumentParser
import BanjianNode
import BanjianStore
import DeadlineWheel
import Foundation
import Logging

/// `banjian serve`: run one node until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a node: CaseService and CatalogService over TLS, deadlines live.",
        discussion: """
            Settings come from the config file; environment variables (BANJIAN_LISTEN, BANJIAN_DATABASE, \
            BANJIAN_CLOCK_RATE, BANJIAN_LOG_LEVEL) override it, and flags override both.
            """)

    @Option(help: "The node's config file (from banjian init).") var config: String
    @Option(help: "host:port to listen on.") var listen: String?
    @Option(help: "SQLite database path.") var database: String?
    @Option(help: "Run the node's clock this many times faster than real time (demos, load runs); after a restart it goes on from the log's latest instant.")
    var clockRate: Double?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?

    func run() async throws {
        let resolved: ResolvedNodeConfig
        do {
            let overrides = try NodeConfig.Overrides.environment(ProcessInfo.processInfo.environment)
                .merging(.init(listen: listen, database: database, clockRate: clockRate, logLevel: logLevel))
            resolved = try NodeConfig.load(path: config, overrides: overrides)
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("banjian: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let level = Logger.Level(rawValue: resolved.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "banjian.node")
        let system = SystemWheelClock()
        if resolved.clockRate == 1 {
            try await Self.serve(resolved, clock: system, logger: logger)
        } else {
            // A restarted accelerated node goes on from its log's latest instant, never back to real now.
            let database = try NodeDatabase(path: resolved.databasePath)
            let latest = try await database.latestEventInstant().map(WheelInstant.init(date:))
            try database.close()
            let start = max(system.now(), latest ?? system.now())
            guard let clock = AcceleratedWheelClock(start: start, rate: resolved.clockRate, base: system) else {
                throw ValidationError("--clock-rate: \(resolved.clockRate) is not a usable rate")
            }
            try await Self.serve(resolved, clock: clock, logger: logger)
        }
    }

    private static func serve<Clock: WheelClock>(_ config: ResolvedNodeConfig, clock: Clock, logger: Logger) async throws {
        let runtime = try await NodeRuntime.make(config: config, clock: clock, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.run() }
            let address = try await runtime.listeningAddress()
            // Unbuffered: scripts and tests wait for this line.
            try? FileHandle.standardOutput.write(contentsOf: Data("banjian: node \(config.code) (\(config.name)) listening on \(address)\n".utf8))
            try await group.waitForAll()
        }
    }
}
