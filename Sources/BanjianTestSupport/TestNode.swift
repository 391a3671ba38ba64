public import BanjianDomain
public import BanjianNode
public import DeadlineWheel
import BanjianStore
import Foundation
import GRPCCore
public import Logging

/// A real node on loopback for tests: certificates generated into a fresh directory, a real SQLite
/// file, TLS sockets, and a manual clock (time moves only when the test says so).
public struct TestNode: Sendable {
    public let directory: String
    public let setup: NodeSetup.Result
    public let config: ResolvedNodeConfig
    public let clock: ManualWheelClock
    public let runtime: NodeRuntime<ManualWheelClock>
    public let address: HostPort

    /// 2025-03-10 09:00 in Asia/Shanghai, a Monday and a working day.
    public static let start = WheelInstant(date: WorkingCalendar.chinaMainland().startOfDay(CivilDate(iso: "2025-03-10")!).addingTimeInterval(9 * 3600))
    public static let township = NodeCode("341182102")!
    public static let county = NodeCode("341182")!
    public static let quiet = Logger(label: "banjian.test.node") { _ in SwiftLogNoOpLogHandler() }

    /// A new directory with a CA, the node's files and operators (`banjian init`).
    /// - Parameter code: the township (under the county) by default, or the county itself.
    public static func prepare(code: NodeCode = township, requireClientCertificates: Bool = false) async throws -> (directory: String, setup: NodeSetup.Result) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-node-\(UUID().uuidString)").path
        let setup = try await NodeSetup.initialize(
            directory: directory, code: code, name: code == county ? "明光市政务服务中心" : "张八岭镇便民服务中心",
            parent: code == county ? nil : (county, "127.0.0.1:1"),
            listen: "127.0.0.1:0", requireClientCertificates: requireClientCertificates, now: Date())
        if code != county {
            // The county's catalogue, as its link would have brought it.
            let database = try NodeDatabase(path: "\(directory)/\(code).sqlite")
            for matter in DemoCatalogue.matters(owner: county, publishedAt: Date()) { try await database.saveMatter(matter) }
            try database.close()
        }
        return (directory, setup)
    }

    /// Starts the node of `prepared` (a fresh one by default), runs `body`, then shuts it down
    /// gracefully.
    public static func run<T: Sendable>(
        prepared: (directory: String, setup: NodeSetup.Result)? = nil, code: NodeCode = township, requireClientCertificates: Bool = false,
        clock: ManualWheelClock = ManualWheelClock(start: start),
        _ body: (TestNode) async throws -> T
    ) async throws -> T {
        let prepared = if let prepared { prepared } else { try await prepare(code: code, requireClientCertificates: requireClientCertificates) }
        let config = try NodeConfig.load(path: prepared.setup.configPath)
        let runtime = try await NodeRuntime.make(config: config, clock: clock, logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.run(gracefulShutdownSignals: []) }
            let node = TestNode(directory: prepared.directory, setup: prepared.setup, config: config, clock: clock,
                                runtime: runtime, address: try await runtime.listeningAddress())
            do {
                let result = try await body(node)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    public func path(_ file: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(file).path }

    public func token(_ role: Role) -> String { setup.tokens[role.rawValue]!.token }

    /// A staff client over TLS, as `role` (no token with `nil`).
    public func client<T: Sendable>(as role: Role?, trustRoots: String? = nil, certificate: (String, String)? = nil,
                             _ body: (NodeClient) async throws -> T) async throws -> T {
        try await NodeClient.with(
            NodeConnection(address: address, trustRootsPath: trustRoots ?? path("ca.pem"),
                           clientCertificate: certificate.map { (certificatePath: $0.0, privateKeyPath: $0.1) },
                           token: role.map(token)), body)
    }
}
