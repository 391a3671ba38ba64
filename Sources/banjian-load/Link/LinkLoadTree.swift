import BanjianDomain
import BanjianNode
import BanjianStore
import DeadlineWheel
import Foundation
import Synchronization

extension LinkLoadCommand {
    /// A chain of nodes in one directory, each the parent of the next, run in this process over
    /// real TLS sockets on loopback.
    final class Tree: Sendable {
        let directory: String
        private let configs: [NodeCode: ResolvedNodeConfig]
        private let running = Mutex<[Task<Void, any Error>]>([])

        /// A running node.
        struct Node: Sendable {
            let runtime: NodeRuntime<SystemWheelClock>
        }

        private init(directory: String, configs: [NodeCode: ResolvedNodeConfig]) {
            self.directory = directory
            self.configs = configs
        }

        static func make(_ chain: [NodeCode]) async throws -> Tree {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-link-load-\(UUID().uuidString)").path
            var ports: [NodeCode: Int] = [:]
            for code in chain { ports[code] = try HostPort.freeLoopbackPort() }
            var configs: [NodeCode: ResolvedNodeConfig] = [:]
            for (index, code) in chain.enumerated() {
                let parent = index > 0 ? (chain[index - 1], "127.0.0.1:\(ports[chain[index - 1]]!)") : nil
                let child = index + 1 < chain.count ? [chain[index + 1]] : []
                let setup = try await NodeSetup.initialize(
                    directory: directory, code: code, name: "负载\(code)", parent: parent, listen: "127.0.0.1:0",
                    federationListen: child.isEmpty ? nil : "127.0.0.1:\(ports[code]!)", children: child, now: Date())
                var config = try NodeConfig.load(path: setup.configPath, overrides: .init(logLevel: "error"))
                if parent != nil {
                    // The top's catalogue, as the links would bring it: a node takes cases while its parent is down.
                    let database = try NodeDatabase(path: config.databasePath)
                    for matter in DemoCatalogue.matters(owner: chain[0], publishedAt: Date()) { try await database.saveMatter(matter) }
                    try database.close()
                }
                config.links.firstRedial = .milliseconds(50)
                config.links.maximumRedial = .milliseconds(200)
                configs[code] = config
            }
            return Tree(directory: directory, configs: configs)
        }

        /// Starts the node of `code`.
        func start(_ code: NodeCode) async throws -> Node {
            guard let config = configs[code] else { throw CocoaError(.fileNoSuchFile) }
            let runtime = try await NodeRuntime.make(config: config, clock: SystemWheelClock(), logger: LinkLoadCommand.quiet)
            running.withLock { $0.append(Task { try await runtime.run(gracefulShutdownSignals: []) }) }
            _ = try await runtime.listeningAddress()
            return Node(runtime: runtime)
        }

        /// Stops every node started.
        func stop() async {
            let tasks = running.withLock { tasks in
                defer { tasks = [] }
                return tasks
            }
            for task in tasks { task.cancel() }
            for task in tasks { _ = await task.result }
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }
}
