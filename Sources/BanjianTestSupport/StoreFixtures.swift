public import BanjianDomain
public import BanjianStore
public import Foundation
import Logging
public import Synchronization

/// Shared fixtures: a township under a county, operators, a calendar, and a fresh database file.
public enum Fixture {
    public static let county = NodeCode("341182")!
    public static let township = NodeCode("341182102")!
    public static let calendar = WorkingCalendar.chinaMainland()
    public static let machine = CaseStateMachine(calendar: calendar)

    public static func actor(_ role: Role, _ id: String? = nil) -> Actor {
        Actor(operatorID: id ?? "\(role.rawValue)-1", name: "\(role.rawValue) 1", role: role, node: township)
    }

    public static let acceptor = actor(.acceptor)
    public static let handler = actor(.handler)
    public static let system = actor(.system, "node")

    /// Local time in Asia/Shanghai.
    public static func at(_ date: String, _ hour: Int = 9, _ minute: Int = 0) -> Date {
        calendar.startOfDay(CivilDate(iso: date)!).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    public static func intake(summary: String = "申请城乡最低生活保障") -> Intake {
        Intake(
            number: CaseNumber("341182102-20000101-000001")!, channel: .window,
            applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
            matter: MatterRef(code: "MZ-001", name: "城乡低保申请"), summary: summary,
            materials: [Material(id: "m1", name: "申请书", copies: 1, pages: 2, isMainDocument: true, status: .provided)])
    }

    /// The catalogue entry of the cases: a township matter with a 5-working-day promise.
    public static let matter = Matter(code: "MZ-001", name: "城乡低保申请", department: "社会事务服务部", authority: .township, owner: county,
                               materials: [.init(name: "申请书", isMainDocument: true)], promisedLimit: .workingDays(5),
                               agencyAllowed: true)

    /// Accepted as promised under the catalogue's limits.
    public static let plainPromised = CaseEvent.accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: handler))))

    public static let promised = CaseEvent.accepted(Acceptance(
        route: .promised(Assignment(department: "社会事务服务部", handler: handler)),
        limits: CaseLimits(promised: .workingDays(5))))

    /// A path for a new database in a new temporary directory.
    public static func databasePath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("node.sqlite").path
    }
}

/// A fresh database with its writer running for the body's duration.
public struct StoreHarness: Sendable {
    public let database: NodeDatabase
    public let writer: CaseWriter
    /// Sizes of the batches committed so far.
    public let batches: BatchSizes

    public static func with<T: Sendable>(
        path: String = Fixture.databasePath(), _ body: (StoreHarness) async throws -> T
    ) async throws -> T {
        let database = try NodeDatabase(path: path)
        let batches = BatchSizes()
        let feed = CommitFeed()
        feed.subscribe { results in batches.sizes.withLock { $0.append(results.count) } }
        if try await database.matter(code: Fixture.matter.code) == nil { try await database.saveMatter(Fixture.matter) }
        let writer = CaseWriter(
            database: database, log: CaseLog(node: Fixture.township, parent: Fixture.county, machine: Fixture.machine),
            logger: Logger(label: "test"), feed: feed)
        let harness = StoreHarness(database: database, writer: writer, batches: batches)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            defer { group.cancelAll() }
            return try await body(harness)
        }
    }

    public func open(_ intake: Intake = Fixture.intake(), requestID: String? = "r-open", at: Date = Fixture.at("2025-03-10")) async throws -> CaseWriteResult {
        try await writer.submit(CaseWrite(.open(intake), requestID: requestID, actor: Fixture.acceptor, at: at))
    }

    public func apply(_ event: CaseEvent, to number: CaseNumber, by actor: Actor = Fixture.acceptor, requestID: String? = nil,
               expectedVersion: UInt64? = nil, at: Date) async throws -> CaseWriteResult {
        try await writer.submit(CaseWrite(.apply(number, event, expectedVersion: expectedVersion), requestID: requestID, actor: actor, at: at))
    }
}

public final class BatchSizes: Sendable {
    public let sizes = Mutex<[Int]>([])
}
