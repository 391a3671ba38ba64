public import BanjianDomain
public import BanjianStore
public import DeadlineWheel
public import Foundation
public import Logging
import Synchronization

/// Keeps every pending rung of every case in the deadline wheel, and commits each rung that fires.
///
/// The database is the truth: `pending_rung` lists what must fire, `fired_rung` what did. The
/// wheel is rebuilt from it at start (``rebuild()``), then follows each commit
/// (``replace(with:)``, called by the writer in commit order). A fired timer becomes a
/// `rungFired` command; the state machine and the `fired_rung` key refuse a second fire, so a crash
/// between the fire and its commit re-fires the rung after restart, exactly once.
public final class CaseDeadlines<Clock: WheelClock>: Sendable {
    public typealias Driver = DeadlineDriver<PendingRung, Clock>

    private let database: NodeDatabase
    private let clock: Clock
    private let logger: Logger
    private let system: Actor
    /// The handles of each case's scheduled rungs.
    private let handles = Mutex<[CaseNumber: [TimerHandle]]>([:])
    /// The petitions' and complaints' scheduled rungs, and the last reload started.
    private let grievances = Mutex<(handles: [TimerHandle], generation: UInt64)>(([], 0))
    /// Set once ``start(writer:)`` has built the driver.
    private let driverBox = Mutex<Driver?>(nil)

    public init(database: NodeDatabase, clock: Clock, node: NodeCode, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.system = .system(of: node)
    }

    /// Builds the driver with every pending rung loaded from the database in one pass.
    /// - Parameter writer: where fired rungs are committed.
    /// - Returns: the driver, to run in the node's service group.
    public func start(writer: CaseWriter) async throws -> Driver {
        let pending = try await database.pendingRungs()
        var wheel = DeadlineWheel<PendingRung>(start: clock.now(), capacity: pending.count)
        let scheduled = wheel.scheduleAll(pending.map { (WheelInstant(date: $0.fireAt), $0) })
        track(Array(zip(pending, scheduled)))
        let driver = Driver(wheel: wheel, clock: clock, logger: logger) { [self] fired in
            await self.commit(fired, writer: writer)
        }
        driverBox.withLock { $0 = driver }
        logger.info("deadline wheel rebuilt", metadata: ["rungs.pending": "\(pending.count)"])
        return driver
    }

    /// Replaces every scheduled rung with the pending rungs in the database: after the calendar
    /// changed and the stored deadlines were re-projected.
    /// - Complexity: O(pending rungs).
    public func reloadAll() async throws {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        let pending = try await database.pendingRungs().filter { !$0.isGrievanceRung }
        let old = handles.withLock { handles in
            defer { handles = [:] }
            return handles.values.flatMap { $0 }
        }
        for handle in old { driver.cancel(handle) }
        track(pending.map { ($0, driver.schedule(at: WheelInstant(date: $0.fireAt), $0)) })
        try await reloadGrievances()
        logger.notice("deadline wheel reloaded after a calendar change", metadata: ["rungs.pending": "\(pending.count)"])
    }

    /// Replaces every scheduled rung of a petition's or complaint's reply clock with those pending in
    /// the database: after each change of one (they are few, so all are reloaded).
    /// - Complexity: O(pending rungs of petitions and complaints).
    public func reloadGrievances() async throws {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        // Reloads may overlap: each installs its rungs only if no later one has started, since a
        // later one reads the database at least as fresh.
        let generation = grievances.withLock { state in
            state.generation += 1
            return state.generation
        }
        let pending = try await database.pendingRungs().filter(\.isGrievanceRung)
        let old = grievances.withLock { state -> [TimerHandle] in
            guard state.generation == generation else { return [] }
            defer { state.handles = pending.map { driver.schedule(at: WheelInstant(date: $0.fireAt), $0) } }
            return state.handles
        }
        for handle in old { driver.cancel(handle) }
    }

    /// Replaces the scheduled rungs of each committed case with its pending rungs now.
    /// - Complexity: O(rungs of the cases in the batch).
    public func replace(with results: [CaseWriteResult]) {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        for result in results {
            guard let pending = result.pendingRungs else { continue }
            let number = result.record.number
            let old = handles.withLock { $0.removeValue(forKey: number) ?? [] }
            for handle in old { driver.cancel(handle) }
            let new = pending.map { driver.schedule(at: WheelInstant(date: $0.fireAt), $0) }
            if !new.isEmpty { handles.withLock { $0[number] = new } }
        }
    }

    /// Remembers the handles of scheduled rungs: a case's by case, a petition's or complaint's together.
    private func track(_ scheduled: [(PendingRung, TimerHandle)]) {
        handles.withLock { handles in
            for (rung, handle) in scheduled where !rung.isGrievanceRung { handles[rung.caseNumber, default: []].append(handle) }
        }
        grievances.withLock { $0.handles += scheduled.filter { $0.0.isGrievanceRung }.map(\.1) }
    }

    /// Commits the fired rungs concurrently, so they share group commits.
    private func commit(_ fired: [FiredTimer<PendingRung>], writer: CaseWriter) async {
        let now = clock.now().date
        await withTaskGroup(of: Void.self) { group in
            for timer in fired {
                let rung = timer.payload
                group.addTask {
                    do {
                        // A petition's or complaint's rung gives no case result: submitAll, not submit.
                        _ = try await writer.submitAll([CaseWrite(.fireRung(rung.caseNumber, rung.key), requestID: nil, actor: self.system, at: now)])
                        self.logger.info("rung fired", metadata: [
                            "case.no": "\(rung.caseNumber)", "rung.clock": "\(rung.key.clock.rawValue)",
                            "rung.kind": "\(rung.key.rung.rawValue)", "rung.epoch": "\(rung.key.epoch)",
                        ])
                    } catch let error as StoreError where [.transition, .notFound, .failedPrecondition].contains(error.code) {
                        // Already fired, the clock moved on, or another node holds the case now:
                        // the database says there is nothing to do.
                        self.logger.debug("rung not fired", metadata: ["case.no": "\(rung.caseNumber)", "reason": "\(error)"])
                    } catch {
                        // Still pending in the database: it fires at the next start.
                        self.logger.error("rung commit failed", metadata: ["case.no": "\(rung.caseNumber)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}

extension PendingRung {
    /// Whether it is a rung of a petition's or complaint's reply clock.
    var isGrievanceRung: Bool { Grievance.Kind(clock: key.clock) != nil }
}

extension WheelInstant {
    /// The instant of a date on the wheel's time line (nanoseconds since the Unix epoch).
    public init(date: Date) {
        let nanoseconds = (date.timeIntervalSince1970 * 1e9).rounded(.up)
        self.init(nanoseconds: nanoseconds >= 9.2e18 ? .max : nanoseconds <= -9.2e18 ? .min : Int64(nanoseconds))
    }

    /// The date of an instant on the wheel's time line.
    public var date: Date { Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) }
}
