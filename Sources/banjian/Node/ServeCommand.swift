import ArgumentParser
import BanjianNode
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
        let resolved = try NodeConfig.loadForCommand(path: config) {
            try NodeConfig.Overrides.environment(ProcessInfo.processInfo.environment)
                .merging(.init(listen: listen, database: database, clockRate: clockRate, logLevel: logLevel))
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
            try await Self.serve(try await NodeRuntime.make(config: resolved, clock: system, logger: logger))
        } else {
            let rate = resolved.clockRate
            try await Self.serve(try await NodeRuntime.make(config: resolved, logger: logger) { latestEvent in
                // A restarted accelerated node goes on from its log's latest instant, never back to real now.
                let now = system.now()
                guard let clock = AcceleratedWheelClock(start: max(now, latestEvent.map(WheelInstant.init(date:)) ?? now), rate: rate, base: system)
                else { throw ValidationError("--clock-rate: \(rate) is not a usable rate") }
                return clock
            })
        }
    }

    private static func serve<Clock: WheelClock>(_ runtime: NodeRuntime<Clock>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.run() }
            let address = try await runtime.listeningAddress()
            // Unbuffered: scripts and tests wait for this line.
            let config = runtime.config
            try? FileHandle.standardOutput.write(contentsOf: Data("banjian: node \(config.code) (\(config.name)) listening on \(address)\n".utf8))
            if config.links.listen != nil, let links = try? await runtime.federationAddress() {
                try? FileHandle.standardOutput.write(contentsOf: Data("banjian: links from children on \(links) (mutual TLS)\n".utf8))
            }
            try await group.waitForAll()
        }
    }
}
