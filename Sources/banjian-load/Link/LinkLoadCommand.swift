import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianStore
import DeadlineWheel
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import Histogram
import Logging
import Synchronization

/// `banjian-load link`: the federation link's throughput and backlog drain against the parent
/// database's raw batched insert of the same rows, and the escalation round trip.
struct LinkLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Federation links on loopback: backlog drain and events/s against a raw insert, and the escalation round trip.",
        discussion: """
            Drain: a township node queues --events case events (cases created and accepted) while its \
            county is down; then the county starts, and the time until it has applied the last one is \
            the drain time (mutual TLS, durable writes on both sides). Baseline, same run: the same \
            event rows inserted into a fresh county database in transactions of 500, with the cursor, \
            which is the ceiling of this design. Round trip: a village creates and submits an agency \
            case at --rate cases/s for --seconds; its township escalates it on arrival, the county \
            acknowledges and decides it on arrival, and the time until the village has the decision is \
            recorded (p50, p99). All nodes run in this process, each with its own SQLite file.
            """)

    @Option(help: "Events in the backlog.") var events = 100_000
    @Option(help: "Round trip: cases per second.") var rate = 10.0
    @Option(help: "Round trip: seconds of steady load.") var seconds = 20.0

    static let county = NodeCode("341182")!, township = NodeCode("341182102")!, village = NodeCode("341182102201")!
    static let quiet = Logger(label: "banjian.load") { _ in SwiftLogNoOpLogHandler() }

    func run() async throws {
        guard events >= 2, events <= 10_000_000 else { throw ValidationError("--events: 2...10000000") }
        guard rate > 0, rate <= 1000, seconds > 0 else { throw ValidationError("--rate in (0, 1000], --seconds positive") }
        try await drain()
        try await roundTrip()
    }

    // MARK: Backlog drain and throughput

    private func drain() async throws {
        let tree = try await Tree.make([Self.county, Self.township])
        defer { tree.remove() }
        // The township queues its backlog with its parent down.
        let townshipNode = try await tree.start(Self.township)
        let acceptor = Actor(operatorID: "acceptor-1", name: "王受理", role: .acceptor, node: Self.township)
        let start = Date()
        let cases = events / 2
        let queueStarted = ContinuousClock.now
        for chunk in stride(from: 0, to: cases, by: 256) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in chunk..<min(cases, chunk + 256) {
                    group.addTask {
                        let at = start.addingTimeInterval(Double(index) * 0.001)
                        let opened = try await townshipNode.runtime.writer.submit(CaseWrite(.open(Self.intake(index, channel: .window)),
                                                                                            requestID: nil, actor: acceptor, at: at))
                        _ = try await townshipNode.runtime.writer.submit(CaseWrite(
                            .apply(opened.record.number, .accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: acceptor)))),
                                   expectedVersion: nil), requestID: nil, actor: acceptor, at: at))
                    }
                }
                try await group.waitForAll()
            }
        }
        let queued = ContinuousClock.now - queueStarted
        let backlog = try await townshipNode.runtime.database.linkLedger(of: Self.county)
        print("backlog: \(backlog.outboxDepth) events queued at the township in \(Self.format(queued)) (\(Self.rate(backlog.outboxDepth, queued)) events/s)")

        // The county comes up; the clock runs until it has applied the last record.
        let drainStarted = ContinuousClock.now
        let countyNode = try await tree.start(Self.county)
        while try await countyNode.runtime.database.linkCursor(of: Self.township) ?? 0 < backlog.lastSequence {
            try await Task.sleep(for: .milliseconds(20))
        }
        let drained = ContinuousClock.now - drainStarted
        let linkRate = Double(backlog.outboxDepth) / drained.seconds
        let rows = try await townshipNode.runtime.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT origin_node, origin_sequence, case_number, case_version, name, occurred_at, event FROM case_event ORDER BY rowid")
                .map { Array($0.databaseValues) }
        }
        await tree.stop()

        // Baseline: the same rows, inserted raw into a fresh county database, 500 a transaction.
        let baselinePath = "\(tree.directory)/baseline.sqlite"
        let baseline = try NodeDatabase(path: baselinePath)
        let rawStarted = ContinuousClock.now
        for (index, batch) in stride(from: 0, to: rows.count, by: 500).map({ Array(rows[$0..<min(rows.count, $0 + 500)]) }).enumerated() {
            try await baseline.pool.write { db in
                for row in batch {
                    try db.execute(sql: "INSERT INTO case_event VALUES (?, ?, ?, ?, ?, ?, ?)", arguments: StatementArguments(row))
                }
                try db.execute(sql: "INSERT INTO link_cursor VALUES (?, ?, ?) ON CONFLICT (peer_node) DO UPDATE SET applied_through = excluded.applied_through",
                               arguments: [Self.township.rawValue, (index + 1) * 500, 0.0])
            }
        }
        let raw = ContinuousClock.now - rawStarted
        try baseline.close()
        let rawRate = Double(rows.count) / raw.seconds
        print("drain:    \(backlog.outboxDepth) events from the township to the county in \(Self.format(drained)): \(Int(linkRate)) events/s")
        print("baseline: the same \(rows.count) rows inserted raw, 500 a transaction, in \(Self.format(raw)): \(Int(rawRate)) events/s")
        print(String(format: "ratio:    link / raw insert = %.2f×", linkRate / rawRate))
    }

    // MARK: Escalation round trip

    private func roundTrip() async throws {
        let tree = try await Tree.make([Self.county, Self.township, Self.village])
        defer { tree.remove() }
        let countyNode = try await tree.start(Self.county)
        let townshipNode = try await tree.start(Self.township)
        let villageNode = try await tree.start(Self.village)
        let trips = RoundTrips()
        let acceptor = Actor(operatorID: "acceptor-1", name: "王受理", role: .acceptor, node: Self.township)
        let director = Actor(operatorID: "director-1", name: "孙主任", role: .director, node: Self.county)
        // Each level acts as soon as the case reaches it.
        townshipNode.runtime.writer.feed.subscribe { results in
            for result in results where result.event.id.origin == Self.village && result.event.event.name == .agencySubmitted {
                let number = result.record.number
                Task {
                    let plan = EscalationPlan(target: Self.county, preliminaryOpinion: Opinion(text: "材料齐全，建议批准"))
                    _ = try? await townshipNode.runtime.writer.submit(CaseWrite(
                        .apply(number, .accepted(Acceptance(route: .escalated(plan, handler: nil))), expectedVersion: nil),
                        requestID: nil, actor: acceptor, at: Date()))
                }
            }
        }
        countyNode.runtime.writer.feed.subscribe { results in
            for result in results where result.record.holder == Self.county && result.event.event.name == .accepted {
                let number = result.record.number
                Task {
                    _ = try? await countyNode.runtime.writer.submit(CaseWrite(.apply(number, .escalationAcknowledged(noticeNumber: "JD-\(number)"),
                                                                                        expectedVersion: nil), requestID: nil, actor: director, at: Date()))
                    _ = try? await countyNode.runtime.writer.submit(CaseWrite(
                        .apply(number, .escalationDecided(Decision(outcome: .approved, summary: "准予")), expectedVersion: nil),
                        requestID: nil, actor: director, at: Date()))
                }
            }
        }
        villageNode.runtime.writer.feed.subscribe { results in
            let now = ContinuousClock.now
            for result in results where result.event.event.name == .escalationDecided {
                trips.arrived(result.record.number, at: now)
            }
        }
        // Wait for the catalogue to reach the village, then load it at a steady rate.
        while try await villageNode.runtime.database.matter(code: "MZ-001") == nil { try await Task.sleep(for: .milliseconds(50)) }
        let agent = Actor(operatorID: "agent-1", name: "李代理", role: .agent, node: Self.village)
        let total = Int(rate * seconds)
        let interval = Duration.seconds(1 / rate)
        let begin = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                try await Task.sleep(until: begin + interval * index)
                group.addTask {
                    let opened = try await villageNode.runtime.writer.submit(CaseWrite(.open(Self.intake(index, channel: .agency)),
                                                                                       requestID: nil, actor: agent, at: Date()))
                    trips.started(opened.record.number)
                    _ = try await villageNode.runtime.writer.submit(CaseWrite(.apply(opened.record.number, .agencySubmitted(to: Self.township),
                                                                                     expectedVersion: nil), requestID: nil, actor: agent, at: Date()))
                }
            }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while trips.outstanding > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await tree.stop()
        let histogram = trips.histogram
        let missing = trips.outstanding
        print(String(format: "round trip: %d cases at %.0f/s, village → township → county → township → village: p50 %.1f ms, p99 %.1f ms, max %.1f ms%@",
                     Int(histogram.totalCount), rate, Double(histogram.valueAtPercentile(50)) / 1000, Double(histogram.valueAtPercentile(99)) / 1000,
                     Double(histogram.max) / 1000, missing == 0 ? "" : " (\(missing) not back in 30 s)"))
    }

    static func intake(_ index: Int, channel: Channel) -> Intake {
        Intake(number: CaseNumber("341182102-20000101-000001")!, channel: channel, applicant: Party(name: "申请人\(index)", phone: "13800000000"),
               matter: MatterRef(code: channel == .agency ? "MZ-001" : "JS-003", name: ""), summary: "负载 \(index)",
               materials: [Material(id: "m1", name: "申请书", status: .provided)],
               agency: channel == .agency ? AgencyHandover(serialNumber: "NO.\(index)", village: village, materialIDs: ["m1"]) : nil)
    }

    static func format(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
    static func rate(_ count: Int, _ duration: Duration) -> Int { Int(Double(count) / duration.seconds) }
}

/// Round trips in flight and their latencies, in microseconds.
private final class RoundTrips: Sendable {
    private let starts = Mutex<[CaseNumber: ContinuousClock.Instant]>([:])
    private let latencies = Mutex(Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three))

    func started(_ number: CaseNumber) { starts.withLock { $0[number] = .now } }

    func arrived(_ number: CaseNumber, at instant: ContinuousClock.Instant) {
        guard let start = starts.withLock({ $0.removeValue(forKey: number) }) else { return }
        let microseconds = UInt64((instant - start).seconds * 1_000_000)
        latencies.withLock { _ = $0.record(microseconds) }
    }

    var outstanding: Int { starts.withLock { $0.count } }
    var histogram: Histogram<UInt64> { latencies.withLock { $0 } }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
