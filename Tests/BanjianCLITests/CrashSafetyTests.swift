import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import Foundation
import GRDB
import GRPCCore
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real `banjian serve` process, killed with SIGKILL in the middle of a burst of creates and
/// acceptances, then restarted on the same database.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CrashSafetyTests {
    /// The `banjian` executable built beside the test bundle.
    static var executable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("banjian").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return FileManager.default.currentDirectoryPath + "/.build/debug/banjian"
    }

    /// Starts `banjian serve` and waits for its "listening on" line.
    static func serve(config: String, arguments: [String] = []) throws -> (process: Process, address: HostPort) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--config", config, "--log-level", "error"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve exited: \(text)"]) }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on "), let address = HostPort(String(text[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "unexpected output: \(text)"])
        }
        return (process, address)
    }

    /// What the clients were told: case number → the last version acknowledged.
    final class Acknowledged: Sendable {
        let versions = Mutex<[String: UInt64]>([:])
        func record(_ number: String, _ version: UInt64) { versions.withLock { $0[number] = max($0[number] ?? 0, version) } }
        var count: Int { versions.withLock { $0.count } }
    }

    @Test func noAcknowledgedCaseOrRungIsLostOrDoubledAfterSIGKILL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-crash-\(UUID().uuidString)").path
        let setup = try await NodeSetup.initialize(directory: directory, code: NodeCode("341182102")!, name: "张八岭镇便民服务中心",
                                                   listen: "127.0.0.1:0", now: Date())
        let token = try #require(setup.tokens["acceptor"]?.token)
        let (process, address) = try Self.serve(config: setup.configPath)
        let acknowledged = Acknowledged()
        let connection = NodeConnection(address: address, trustRootsPath: directory + "/ca.pem", token: token)

        // 16 clients create and accept cases as fast as the node acknowledges them; the node is
        // killed once 200 cases are acknowledged, with calls still in flight.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<16 {
                group.addTask {
                    try? await NodeClient.with(connection) { node in
                        for index in 0..<1000 {
                            let created = try await node.cases.createCase(Self.create("c\(client)-\(index)"), metadata: node.metadata)
                            acknowledged.record(created.caseRecord.number, created.event.caseVersion)
                            if index.isMultiple(of: 2) {
                                let accepted = try await node.cases.acceptCase(Self.accept(created.caseRecord.number, "a\(client)-\(index)"), metadata: node.metadata)
                                acknowledged.record(accepted.caseRecord.number, accepted.event.caseVersion)
                            }
                        }
                    }
                }
            }
            group.addTask {
                while acknowledged.count < 200 { try await Task.sleep(for: .milliseconds(5)) }
                kill(process.processIdentifier, SIGKILL)
            }
            try await group.waitForAll()
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let acked = acknowledged.versions.withLock { $0 }
        #expect(acked.count >= 200)

        // Restart on the same files: every acknowledged write is there, and every accepted case has
        // its ten rungs (JS-003: promised and statutory, five each), each once.
        let (restarted, newAddress) = try Self.serve(config: setup.configPath)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        var reconnect = connection
        reconnect.address = newAddress
        try await NodeClient.with(reconnect) { node in
            for (number, version) in acked {
                let record = try await node.cases.getCase(.with { $0.caseNumber = number }, metadata: node.metadata).caseRecord
                #expect(record.version >= version, "case \(number) lost acknowledged version \(version)")
                if record.state == .handling {
                    let rungs = record.rungs.map { "\($0.clockKind)/\($0.kind)/\($0.epoch)" }
                    #expect(rungs.count == 10 && Set(rungs).count == 10, "case \(number) rungs \(rungs)")
                }
            }
        }
        // The database is whole, and the scheduler's table matches the cases.
        let database = try NodeDatabase(path: directory + "/341182102.sqlite")
        let integrity = try await database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        let pending = try await database.pendingRungs()
        let handling = try await database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_projection WHERE state = 'handling'") ?? 0
        }
        #expect(pending.count == handling * 10)
        #expect(Set(pending).count == pending.count)
    }

    @Test func rungsFiringWhenTheNodeIsKilledFireOnceAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-crash-\(UUID().uuidString)").path
        let setup = try await NodeSetup.initialize(directory: directory, code: NodeCode("341182102")!, name: "张八岭镇便民服务中心",
                                                   listen: "127.0.0.1:0", now: Date())
        let token = try #require(setup.tokens["acceptor"]?.token)
        // 100 000 times real time: a working week passes in about six seconds.
        let accelerated = ["--clock-rate", "100000"]
        let (process, address) = try Self.serve(config: setup.configPath, arguments: accelerated)
        let cases = 20
        let numbers = try await NodeClient.with(NodeConnection(address: address, trustRootsPath: directory + "/ca.pem", token: token)) { node in
            var numbers: [String] = []
            for index in 0..<cases {
                let created = try await node.cases.createCase(Self.create("c\(index)"), metadata: node.metadata)
                _ = try await node.cases.acceptCase(Self.accept(created.caseRecord.number, "a\(index)"), metadata: node.metadata)
                numbers.append(created.caseRecord.number)
            }
            return numbers
        }
        // Each case runs JS-003's promised and statutory clocks, every rung on each.
        let rungs = cases * RungKind.allCases.count * 2

        // Killed while the rungs fire: some committed, some not yet.
        let log = try DatabaseQueue(path: directory + "/341182102.sqlite", configuration: { var c = Configuration(); c.readonly = true; return c }())
        func fired() async throws -> Int { try await log.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fired_rung") ?? 0 } }
        var firedBeforeKill = 0
        for _ in 0..<6_000 {
            firedBeforeKill = try await fired()
            if firedBeforeKill > 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        firedBeforeKill = try await fired()
        #expect(firedBeforeKill > 0 && firedBeforeKill < rungs, "fired before the kill: \(firedBeforeKill) of \(rungs)")

        // Restarted, the node goes on from its log's latest instant and fires the rest.
        let (restarted, _) = try Self.serve(config: setup.configPath, arguments: accelerated)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        for _ in 0..<1_200 where try await fired() < rungs { try await Task.sleep(for: .milliseconds(50)) }
        let firedAfterRestart = try await fired()
        #expect(firedAfterRestart == rungs)
        let events = try await log.read { db in
            try Row.fetchAll(db, sql: "SELECT case_number, event FROM case_event WHERE name = 'rungFired'")
                .map { row -> [String] in [row[0], String(decoding: row[1] as Data, as: UTF8.self)] }
        }
        // Exactly once: one rungFired event per rung of every case, and no rung left pending.
        #expect(events.count == rungs)
        #expect(Set(events.map { $0.joined(separator: "|") }).count == rungs)
        #expect(Set(events.map { $0[0] }) == Set(numbers))
        let pending = try await log.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_rung") }
        #expect(pending == 0)
        let integrity = try await log.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    static func create(_ requestID: String) -> Banjian_V1_CreateCaseRequest {
        let intake = Intake(
            number: CaseNumber("341182102-20000101-000001")!, channel: .window,
            applicant: Party(name: "张三", phone: "13800000000"), matter: MatterRef(code: "JS-003", name: "生育登记"),
            summary: "申请生育登记", materials: [Material(id: "m1", name: "结婚证", isMainDocument: true, status: .provided)])
        return Banjian_V1_CreateCaseRequest(requestID: requestID, intake: intake)
    }

    static func accept(_ number: String, _ requestID: String) -> Banjian_V1_AcceptCaseRequest {
        let handler = Actor(operatorID: "handler-1", name: "张承办", role: .handler, node: NodeCode("341182102")!)
        let event = CaseEvent.accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: handler)),
                                                  limits: CaseLimits(promised: .workingDays(5))))
        guard case .accepted(let accepted) = Banjian_V1_CaseEvent.OneOf_Body(event) else { fatalError() }
        return .with { $0.requestID = requestID; $0.caseNumber = number; $0.accepted = accepted }
    }
}
