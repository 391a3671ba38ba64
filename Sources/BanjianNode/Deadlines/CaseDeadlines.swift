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
    /// What the wheel holds, by owner, and the reloads in flight.
    private let schedule = Mutex(Schedule())
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
        schedule.withLock { schedule in
            for (rung, handle) in zip(pending, scheduled) {
                switch rung.owner {
                case .cases: schedule.cases[rung.caseNumber, default: []].append(handle)
                case .grievances: schedule.grievances.append(handle)
                }
            }
        }
        let driver = Driver(wheel: wheel, clock: clock, logger: logger) { [self] fired in
            await self.commit(fired, writer: writer)
        }
        driverBox.withLock { $0 = driver }
        logger.info("deadline wheel rebuilt", metadata: ["rungs.pending": "\(pending.count)"])
        return driver
    }

    /// Replaces every scheduled rung with the pending rungs in the database: after the calendar
    /// changed and the stored deadlines were re-projected. A case whose commit replaced its rungs
    /// while the database was read keeps them; of overlapping reloads, only the newest installs.
    /// - Complexity: O(pending rungs).
    public func reloadAll() async throws {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        let generation = schedule.withLock { schedule in
            schedule.caseReloadsInFlight += 1
            return schedule.caseReloads.start()
        }
        defer {
            schedule.withLock { schedule in
                schedule.caseReloadsInFlight -= 1
                if schedule.caseReloadsInFlight == 0 { schedule.replacedDuringReload.removeAll() }
            }
        }
        let pending = try await database.pendingRungs(of: .cases)
        schedule.withLock { schedule in
            guard schedule.caseReloads.install(generation) else { return }
            let replaced = schedule.replacedDuringReload
            for (number, handles) in schedule.cases where !replaced.contains(number) {
                for handle in handles { driver.cancel(handle) }
                schedule.cases[number] = nil
            }
            for rung in pending where !replaced.contains(rung.caseNumber) {
                schedule.cases[rung.caseNumber, default: []].append(driver.schedule(at: WheelInstant(date: rung.fireAt), rung))
            }
        }
        try await reloadGrievances()
        logger.notice("deadline wheel reloaded after a calendar change", metadata: ["rungs.pending": "\(pending.count)"])
    }

    /// Replaces every scheduled rung of a petition's or complaint's reply clock with those pending in
    /// the database: after each change of one handled here (they are few, so all are reloaded).
    /// Of overlapping reloads, a later one installs over an earlier one and never the reverse:
    /// it read the database later.
    /// - Complexity: O(pending rungs of petitions and complaints), by index.
    public func reloadGrievances() async throws {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        let generation = schedule.withLock { $0.grievanceReloads.start() }
        let pending = try await database.pendingRungs(of: .grievances)
        schedule.withLock { schedule in
            guard schedule.grievanceReloads.install(generation) else { return }
            for handle in schedule.grievances { driver.cancel(handle) }
            schedule.grievances = pending.map { driver.schedule(at: WheelInstant(date: $0.fireAt), $0) }
        }
    }

    /// Replaces the scheduled rungs of each committed case with its pending rungs now.
    /// - Complexity: O(rungs of the cases in the batch).
    public func replace(with results: [CaseWriteResult]) {
        guard let driver = driverBox.withLock({ $0 }) else { return }
        schedule.withLock { schedule in
            for result in results {
                guard let pending = result.pendingRungs else { continue }
                let number = result.record.number
                for handle in schedule.cases.removeValue(forKey: number) ?? [] { driver.cancel(handle) }
                let new = pending.map { driver.schedule(at: WheelInstant(date: $0.fireAt), $0) }
                if !new.isEmpty { schedule.cases[number] = new }
                if schedule.caseReloadsInFlight > 0 { schedule.replacedDuringReload.insert(number) }
            }
        }
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

/// The rungs a ``CaseDeadlines`` has in its wheel, and its reloads.
private struct Schedule {
    /// Each case's scheduled rungs.
    var cases: [CaseNumber: [TimerHandle]] = [:]
    /// The petitions' and complaints' scheduled rungs.
    var grievances: [TimerHandle] = []
    /// While full reloads read the database: the cases replaced since the first began, which
    /// they leave as replaced.
    var replacedDuringReload: Set<CaseNumber> = []
    var caseReloadsInFlight = 0
    var caseReloads = Generations()
    var grievanceReloads = Generations()
}

/// Reloads numbered as they start: one installs only over an older one.
private struct Generations {
    private var started: UInt64 = 0
    private var installed: UInt64 = 0

    mutating func start() -> UInt64 {
        started += 1
        return started
    }

    /// Whether reload `generation` may install, recording that it did.
    mutating func install(_ generation: UInt64) -> Bool {
        guard generation > installed else { return false }
        installed = generation
        return true
    }
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
