import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import ServiceLifecycle
import GRPCCore
import GRPCInProcessTransport
import Testing

/// Several nodes in one test process, each with its own SQLite file, reached over in-process
/// transports: a county, a township and a village start, serve and stop cleanly.
@Suite(.timeLimit(.minutes(2))) struct InProcessNodesTests {
    @Test func threeNodesStartServeAndStopInOneProcess() async throws {
        let codes = [TestNode.county, TestNode.township, NodeCode("341182102201")!]
        var prepared: [(code: NodeCode, config: ResolvedNodeConfig)] = []
        for code in codes {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-inproc-\(UUID().uuidString)").path
            let parent = codes.last { $0 != code && $0.contains(code) }
            let setup = try await NodeSetup.initialize(directory: directory, code: code, name: "节点 \(code)",
                                                       parent: parent.map { ($0, "127.0.0.1:1") }, listen: "127.0.0.1:0", now: Date())
            prepared.append((code, try NodeConfig.load(path: setup.configPath)))
        }
        let transports = codes.map { _ in InProcessTransport() }
        var runtimes: [NodeRuntime<ManualWheelClock>] = []
        for (index, node) in prepared.enumerated() {
            runtimes.append(try await NodeRuntime.make(config: node.config, clock: ManualWheelClock(start: TestNode.start), logger: TestNode.quiet,
                                                       transport: .custom(transports[index].server)))
        }
        let groups = runtimes.map { runtime in
            ServiceGroup(configuration: .init(services: runtime.services.map { .init(service: $0) }, logger: TestNode.quiet))
        }
        try await withThrowingTaskGroup(of: Void.self) { running in
            for (runtime, group) in zip(runtimes, groups) {
                running.addTask {
                    try await group.run()
                    try runtime.database.close()
                }
            }
            for (index, transport) in transports.enumerated() {
                try await withGRPCClient(transport: transport.client) { grpc in
                    let health = try await Grpc_Health_V1_Health.Client(wrapping: grpc).check(.init())
                    #expect(health.status == .serving)
                    // Each node answers from its own database: the county its catalogue; the nodes below
                    // none yet, as their links (to no parent here) never came up.
                    let matters = try await Banjian_V1_CatalogService.Client(wrapping: grpc)
                        .listMatters(.init(), metadata: ["authorization": "Bearer \(try Self.token(of: prepared[index].config))"])
                    #expect(matters.matters.map(\.ownerNodeCode) == (index == 0 ? Array(repeating: codes[0].rawValue, count: 3) : []))
                }
            }
            await #expect(throws: RPCError.self) { _ = try await runtimes[1].listeningAddress() }
            // A graceful stop of every node: each group returns without error.
            for group in groups { await group.triggerGracefulShutdown() }
            try await running.waitForAll()
        }
        // Stopped cleanly: each database closed and reopens with everything in it.
        for (index, node) in prepared.enumerated() {
            let database = try BanjianStore.NodeDatabase(path: node.config.databasePath)
            #expect(try await database.matters(MatterQuery()).matters.count == (index == 0 ? 3 : 0))
            try database.close()
        }
    }

    /// The acceptor's token from the tokens file `banjian init` wrote beside the config.
    static func token(of config: ResolvedNodeConfig) throws -> String {
        let path = URL(fileURLWithPath: config.databasePath).deletingLastPathComponent().appendingPathComponent("\(config.code)-tokens.json")
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: [String: String]]
        return try #require(tokens?["acceptor"]?["token"])
    }
}
