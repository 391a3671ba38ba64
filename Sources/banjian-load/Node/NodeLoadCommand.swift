import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRPCCore
import GRPCNIOTransportHTTP2
import Histogram
import Logging
import SwiftProtobuf

/// `banjian-load node`: durable case creations over TLS against a bare echo service, same run.
struct NodeLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Durable case creations and case reads per second over TLS on loopback, against a bare gRPC echo service.",
        discussion: """
            Starts a demo node in a new directory (real SQLite file, WAL, synchronous FULL; TLS with \
            certificates made for the run) and, on the same certificates, a grpc-swift server with one \
            echo method. For each client count, each client opens its own TLS connection and calls \
            in a loop for the given time: CreateCase on the node (a durable write), then GetCase (a read \
            of one case), then Echo with the CreateCase request bytes. Clients send ready-made bytes and \
            do not decode answers, so the three differ only on the server. Prints calls per second, p50 \
            and p99 latency, the process's CPU time per call, and the ratios to the echo and of N clients \
            to 1 client.
            """)

    @Option(help: "Client counts to run, comma-separated.") var clients = "1,16,64"
    @Option(help: "Seconds per measurement.") var seconds = 5.0
    @Option(help: "Seconds of warm-up before each measurement.") var warmup = 1.0
    @Option(help: "Rounds of create, get and echo per client count; with more than one, the medians are printed too.") var rounds = 1

    struct Measurement {
        var calls: UInt64
        var seconds: Double
        var latency: Histogram<UInt64>
        /// CPU time (user and system) of the whole process, clients and servers, over the window.
        var cpuSeconds: Double
        var rate: Double { Double(calls) / seconds }
        /// Microseconds of CPU per call: unlike the rate, it does not move with what else the machine runs.
        var cpuPerCall: Double { calls == 0 ? 0 : cpuSeconds / Double(calls) * 1_000_000 }
        var p50: Double { Double(latency.valueAtPercentile(50)) / 1000 }
        var p99: Double { Double(latency.valueAtPercentile(99)) / 1000 }
    }

    func run() async throws {
        let counts = clients.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...1024).contains($0) }) else { throw ValidationError("--clients: counts in 1...1024") }
        guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be positive") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be in 1...20") }
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
        let template = try Self.createRequest(requestID: "").serializedBytes() as [UInt8]
        let authorization: Metadata = ["authorization": "Bearer \(token)"]

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.run(gracefulShutdownSignals: []) }
            group.addTask { try await echo.serve() }
            let nodeAddress = try await runtime.listeningAddress()
            guard let echoPort = try await echo.listeningAddress?.ipv4?.port else { throw ValidationError("echo server did not start") }
            let connection = NodeConnection(address: nodeAddress, trustRootsPath: config.trustRootsPath)
            let echoConnection = NodeConnection(address: HostPort(host: "127.0.0.1", port: echoPort), trustRootsPath: config.trustRootsPath)

            let probe = try await NodeClient.with(NodeConnection(address: nodeAddress, trustRootsPath: config.trustRootsPath, token: token)) {
                try await $0.cases.createCase(Self.createRequest(requestID: "probe"), metadata: $0.metadata).caseRecord.number
            }
            let read = try Banjian_V1_GetCaseRequest.with { $0.caseNumber = probe }.serializedBytes() as [UInt8]

            print("durable CreateCase and GetCase over TLS vs a bare echo over the same TLS, loopback, \(seconds) s per row")
            print("CPU µs/call: the process's CPU time (clients and servers) per call; cpu echo/create: the rate ratio when both are CPU-bound")
            print("clients  round  creates/s   p50 ms   p99 ms  µs/call |    gets/s   p50 ms  µs/call |   echo/s   p50 ms   p99 ms  µs/call |  create/echo  get/echo  cpu echo/create")
            /// One row; `details` (latencies, CPU per call) are left blank on median rows.
            func row(_ count: Int, _ round: String, _ creates: Double, _ gets: Double, _ echoes: Double, cpuRatio: Double,
                     _ details: (Measurement, Measurement, Measurement)?) {
                let (c, g, e) = details.map {
                    (String(format: "%7.2f  %7.2f  %7.0f", $0.0.p50, $0.0.p99, $0.0.cpuPerCall), String(format: "%7.2f  %7.0f", $0.1.p50, $0.1.cpuPerCall),
                     String(format: "%7.2f  %7.2f  %7.0f", $0.2.p50, $0.2.p99, $0.2.cpuPerCall))
                } ?? (String(repeating: " ", count: 25), String(repeating: " ", count: 16), String(repeating: " ", count: 25))
                print(String(format: "%7d  ", count) + round.padding(toLength: 5, withPad: " ", startingAt: 0)
                    + String(format: "  %9.0f  ", creates) + c + String(format: " | %9.0f  ", gets) + g
                    + String(format: " | %8.0f  ", echoes) + e
                    + String(format: " |  %10.2f×  %7.2f×  %14.2f×", creates / echoes, gets / echoes, cpuRatio))
            }
            func median(_ values: [Double]) -> Double {
                let sorted = values.sorted()
                return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            }
            var createRates: [(clients: Int, median: Double)] = []
            for count in counts {
                var creates: [Double] = [], gets: [Double] = [], echoes: [Double] = [], cpuRatios: [Double] = []
                for round in 1...rounds {
                    /// Each request is `template` with a unique request id appended (protobuf field 1;
                    /// the last value of a scalar field wins), so no client encodes a message.
                    let unique: @Sendable (Int, Int) -> [UInt8] = { client, call in
                        let id = Array("\(count)-\(round)-\(client)-\(call)".utf8)
                        return template + [0x0A, UInt8(id.count)] + id
                    }
                    let created = try await measure(clients: count, connection: connection, method: Banjian_V1_CaseService.Method.CreateCase.descriptor,
                                                    metadata: authorization, request: unique)
                    let got = try await measure(clients: count, connection: connection, method: Banjian_V1_CaseService.Method.GetCase.descriptor,
                                                metadata: authorization) { _, _ in read }
                    let echoed = try await measure(clients: count, connection: echoConnection, method: EchoService.method, metadata: [:], request: unique)
                    creates.append(created.rate)
                    gets.append(got.rate)
                    echoes.append(echoed.rate)
                    cpuRatios.append(echoed.cpuPerCall / created.cpuPerCall)
                    row(count, "\(round)", created.rate, got.rate, echoed.rate, cpuRatio: cpuRatios[cpuRatios.count - 1], (created, got, echoed))
                }
                if rounds > 1 { row(count, "med", median(creates), median(gets), median(echoes), cpuRatio: median(cpuRatios), nil) }
                createRates.append((count, median(creates)))
            }
            if let first = createRates.first, let last = createRates.last, last.clients != first.clients {
                print(String(format: "group commit: %d clients / %d client = %.2f× creates per second", last.clients, first.clients,
                             last.median / first.median) + (rounds > 1 ? " (medians)" : ""))
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

    /// Runs `clients` clients at once over one window, each on its own TLS connection calling
    /// `method` in a loop with raw request bytes (`request(client, call)`) and undecoded responses,
    /// so every server sees the same client work. Returns the calls completed in the measured part.
    private func measure(clients: Int, connection: NodeConnection, method: MethodDescriptor, metadata: Metadata,
                         request: @escaping @Sendable (Int, Int) -> [UInt8]) async throws -> Measurement {
        let window = Window(warmup: warmup, seconds: seconds)
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let cpu = Task { () -> Double in
            try? await Task.sleep(until: window.warmupEnd, clock: .continuous)
            let start = Self.processCPUSeconds()
            try? await Task.sleep(until: window.end, clock: .continuous)
            return Self.processCPUSeconds() - start
        }
        try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
            for client in 0..<clients {
                group.addTask {
                    try await Self.withRawClient(connection) { grpc in
                        try await Self.loop(until: window) { call in
                            try await grpc.unary(request: ClientRequest(message: request(client, call), metadata: metadata), descriptor: method,
                                                 serializer: RawBytes(), deserializer: RawBytes(), options: .defaults) { try $0.message }
                        }
                    }
                }
            }
            for try await histogram in group { latency.add(histogram) }
        }
        return Measurement(calls: latency.totalCount, seconds: seconds, latency: latency, cpuSeconds: await cpu.value)
    }

    /// User and system CPU time of this process so far, in seconds.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }

    /// Makes call 1, 2, … until the window ends; records latencies (µs) of calls that started
    /// after the warm-up. A call that fails (a non-OK status) or answers nothing ends the run.
    private static func loop(until window: Window, _ call: (Int) async throws -> [UInt8]) async throws -> Histogram<UInt64> {
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let clock = ContinuousClock()
        var calls = 0
        while true {
            let start = clock.now
            if start >= window.end { return latency }
            calls += 1
            guard try await !call(calls).isEmpty else { throw ValidationError("empty response") }
            let elapsed = start.duration(to: clock.now)
            if start >= window.warmupEnd, clock.now <= window.end {
                _ = latency.record(UInt64(max(1, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)))
            }
        }
    }

    private static func withRawClient<T: Sendable>(_ connection: NodeConnection, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
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
