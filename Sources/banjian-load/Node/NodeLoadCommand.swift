import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Histogram
import Logging
import SwiftProtobuf

/// `banjian-load node`: durable case creations over TLS against a bare echo service, same run.
struct NodeLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Durable case creations per second over TLS on loopback, against a bare gRPC echo service.",
        discussion: """
            Starts a demo node in a new directory (real SQLite file, WAL, synchronous FULL; TLS with \
            certificates made for the run) and, on the same certificates, a grpc-swift server with one \
            echo method. For each client count, each client opens its own TLS connection and calls \
            in a loop for the given time: CreateCase on the node, then Echo with the same request bytes. \
            Prints calls per second, p50 and p99 latency, and the ratios node/echo and N clients/1 client.
            """)

    @Option(help: "Client counts to run, comma-separated.") var clients = "1,16,64"
    @Option(help: "Seconds per measurement.") var seconds = 5.0
    @Option(help: "Seconds of warm-up before each measurement.") var warmup = 1.0

    struct Measurement {
        var calls: UInt64
        var seconds: Double
        var latency: Histogram<UInt64>
        var rate: Double { Double(calls) / seconds }
        var p50: Double { Double(latency.valueAtPercentile(50)) / 1000 }
        var p99: Double { Double(latency.valueAtPercentile(99)) / 1000 }
    }

    func run() async throws {
        let counts = clients.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...1024).contains($0) }) else { throw ValidationError("--clients: counts in 1...1024") }
        guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be positive") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-load-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard let township = NodeCode("341182102") else { return }
        let setup = try await NodeSetup.initialize(directory: directory, code: township, name: "负载测试镇",
                                                   listen: "127.0.0.1:0", now: Date())
        let config = try NodeConfig.load(path: setup.configPath, overrides: .init(logLevel: "error"))
        let quiet = Logger(label: "banjian.load") { _ in SwiftLogNoOpLogHandler() }
        let runtime = try await NodeRuntime.make(config: config, clock: SystemWheelClock(), logger: quiet)
        let echo = GRPCServer(
            transport: HTTP2ServerTransport.Posix(
                address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .tls(
                    certificateChain: [.file(path: config.certificatePath, format: .pem)],
                    privateKey: .file(path: config.privateKeyPath, format: .pem))),
            services: [EchoService()])
        guard let token = setup.tokens["acceptor"]?.token else { throw ValidationError("no acceptor token") }
        let payload = try Self.createRequest(requestID: "template").serializedBytes() as [UInt8]

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.run(gracefulShutdownSignals: []) }
            group.addTask { try await echo.serve() }
            let nodeAddress = try await runtime.listeningAddress()
            guard let echoPort = try await echo.listeningAddress?.ipv4?.port else { throw ValidationError("echo server did not start") }
            let connection = NodeConnection(address: nodeAddress, trustRootsPath: config.trustRootsPath, token: token)
            let echoConnection = NodeConnection(address: HostPort(host: "127.0.0.1", port: echoPort), trustRootsPath: config.trustRootsPath)

            print("durable CreateCase over TLS vs a bare echo over the same TLS, loopback, \(seconds) s per row")
            print("clients  creates/s   p50 ms   p99 ms  |   echo/s   p50 ms   p99 ms  |  node/echo")
            var results: [(Int, Measurement, Measurement)] = []
            for count in counts {
                let node = try await measure(clients: count) { client, window in
                    try await NodeClient.with(connection) { node in
                        try await Self.loop(until: window) {
                            _ = try await node.cases.createCase(Self.createRequest(requestID: "\(count)-\(client)-\(UUID().uuidString)"),
                                                               metadata: node.metadata)
                        }
                    }
                }
                let echoed = try await measure(clients: count) { _, window in
                    try await Self.withEchoClient(echoConnection) { grpc in
                        try await Self.loop(until: window) {
                            _ = try await grpc.unary(
                                request: ClientRequest(message: payload), descriptor: EchoService.method, serializer: RawBytes(),
                                deserializer: RawBytes(), options: .defaults) { try $0.message }
                        }
                    }
                }
                results.append((count, node, echoed))
                print(String(format: "%7d  %9.0f  %7.2f  %7.2f  | %8.0f  %7.2f  %7.2f  |  %8.2f×",
                             count, node.rate, node.p50, node.p99, echoed.rate, echoed.p50, echoed.p99, node.rate / echoed.rate))
            }
            if let first = results.first, let last = results.last, last.0 != first.0 {
                print(String(format: "group commit: %d clients / %d client = %.2f× creates per second", last.0, first.0, last.1.rate / first.1.rate))
            }
            let cases = try await runtime.database.caseCount()
            print("cases in the database: \(cases)")
            echo.beginGracefulShutdown()
            group.cancelAll()
        }
    }

    /// When each client's loop stops and what it saw.
    final class Window: Sendable {
        let warmupEnd: ContinuousClock.Instant
        let end: ContinuousClock.Instant
        init(warmup: Double, seconds: Double) {
            warmupEnd = .now + .seconds(warmup)
            end = warmupEnd + .seconds(seconds)
        }
    }

    /// Runs `clients` loops at once over one window; returns the calls completed in the measured part.
    private func measure(clients: Int, _ body: @escaping @Sendable (Int, Window) async throws -> Histogram<UInt64>) async throws -> Measurement {
        let window = Window(warmup: warmup, seconds: seconds)
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
            for client in 0..<clients { group.addTask { try await body(client, window) } }
            for try await histogram in group { latency.add(histogram) }
        }
        return Measurement(calls: latency.totalCount, seconds: seconds, latency: latency)
    }

    /// Calls `call` until the window ends; records latencies (µs) of calls that started after the warm-up.
    private static func loop(until window: Window, _ call: () async throws -> Void) async throws -> Histogram<UInt64> {
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let clock = ContinuousClock()
        while true {
            let start = clock.now
            if start >= window.end { return latency }
            try await call()
            let elapsed = start.duration(to: clock.now)
            if start >= window.warmupEnd, clock.now <= window.end {
                _ = latency.record(UInt64(max(1, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)))
            }
        }
    }

    private static func withEchoClient<T: Sendable>(_ connection: NodeConnection, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: connection.address.host, port: connection.address.port),
            transportSecurity: .tls { $0.trustRoots = .certificates([.file(path: connection.trustRootsPath, format: .pem)]) })
        return try await withGRPCClient(transport: transport) { try await body($0) }
    }

    static func createRequest(requestID: String) -> Banjian_V1_CreateCaseRequest {
        guard let township = NodeCode("341182102") else { return .init() }
        let intake = Intake(
            number: .unassigned(origin: township), channel: .window,
            applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
            matter: MatterRef(code: "JS-003", name: "生育登记"), summary: "申请生育登记",
            materials: [Material(id: "m1", name: "结婚证", copies: 1, pages: 1, isMainDocument: true, status: .provided),
                        Material(id: "m2", name: "夫妻双方身份证", copies: 2, pages: 2, status: .provided)])
        return Banjian_V1_CreateCaseRequest(requestID: requestID, intake: intake)
    }
}
