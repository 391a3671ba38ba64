public import Foundation

/// The rungs of a clock: warning, due, and the escalation ladder after breach.
public enum RungKind: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// 预警: time is running short.
    case warning
    /// 到期: the limit is reached; the case is overdue (超期) from here on.
    case due
    /// 催办: a 催办单 to the handler.
    case urge
    /// 督办: the centre's deputy takes it up.
    case supervise
    /// 上报上级: reported to the parent level's supervision.
    case reportUp

    public static func < (lhs: RungKind, rhs: RungKind) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// When a rung fires, relative to its clock's budget.
public enum RungTrigger: Hashable, Sendable, Codable {
    /// When this fraction of the budget is consumed, in permille (750 = 75 %).
    case consumedPermille(Int)
    /// This many whole days after the due instant (before it when negative), in the clock's
    /// measure: working days for working-time clocks, calendar days for elapsed-time clocks.
    case daysFromDue(Int)

    /// The consumption at which the rung fires, never below zero.
    public func threshold(budgetSeconds: Int64, measure: DeadlineClock.Measure, workingSecondsPerDay: Int64) -> Int64 {
        switch self {
        case .consumedPermille(let permille):
            return max(0, budgetSeconds * Int64(permille) / 1000)
        case .daysFromDue(let days):
            let day = measure == .workingTime ? workingSecondsPerDay : 86_400
            return max(0, budgetSeconds + Int64(days) * day)
        }
    }
}

/// One rung of a ladder.
public struct RungSpec: Hashable, Sendable, Codable {
    public var kind: RungKind
    public var trigger: RungTrigger
    public init(kind: RungKind, trigger: RungTrigger) {
        self.kind = kind
        self.trigger = trigger
    }
}

/// The key that makes a rung fire exactly once: the clock, the rung and the clock's epoch
/// (an extension or restart re-arms every rung).
public struct RungKey: Hashable, Sendable, Codable, Comparable {
    public let clock: ClockKind
    public let rung: RungKind
    public let epoch: Int
    public init(clock: ClockKind, rung: RungKind, epoch: Int) {
        self.clock = clock
        self.rung = rung
        self.epoch = epoch
    }
    public static func < (lhs: RungKey, rhs: RungKey) -> Bool {
        (lhs.clock, lhs.epoch, lhs.rung) < (rhs.clock, rhs.epoch, rhs.rung)
    }
}

/// A rung projected onto the calendar.
public struct ScheduledRung: Hashable, Sendable {
    public let key: RungKey
    public let fireAt: ProjectedInstant
}

/// The rungs every clock gets.
///
/// Defaults (`standard`): the seeds name 预警, 催办, 督办 and reporting to the leader or the higher
/// level (domain.md §3.3) but give no offsets, so these are Banjian's documented choices:
/// warning at 75 % of the budget (design.md); due at 100 %; 催办 at the due instant (000:
/// "urging fails, or the case passes its limit"); 督办 by the deputy one day after breach;
/// reported up three days after breach (001 篇六 第十三条 treats a 3-day overrun as serious).
public struct RungLadder: Hashable, Sendable, Codable {
    public var rungs: [RungSpec]

    public init(rungs: [RungSpec]) { self.rungs = rungs }

    public static let standard = RungLadder(rungs: [
        RungSpec(kind: .warning, trigger: .consumedPermille(750)),
        RungSpec(kind: .due, trigger: .consumedPermille(1000)),
        RungSpec(kind: .urge, trigger: .daysFromDue(0)),
        RungSpec(kind: .supervise, trigger: .daysFromDue(1)),
        RungSpec(kind: .reportUp, trigger: .daysFromDue(3)),
    ])

    /// The rungs of `clock` that have not fired, projected through `calendar`, in firing order.
    /// Nothing is projected for a paused or stopped clock.
    /// - Complexity: O(rungs × ledger entries).
    public func pendingRungs(of clock: DeadlineClock, fired: Set<RungKey>, calendar: WorkingCalendar) -> [ScheduledRung] {
        guard clock.isRunning else { return [] }
        return rungs.compactMap { spec -> ScheduledRung? in
            let key = RungKey(clock: clock.kind, rung: spec.kind, epoch: clock.epoch)
            guard !fired.contains(key) else { return nil }
            let threshold = spec.trigger.threshold(
                budgetSeconds: clock.budgetSeconds, measure: clock.measure,
                workingSecondsPerDay: calendar.workingSecondsPerDay)
            guard let at = clock.instant(whenConsumed: threshold, calendar: calendar) else { return nil }
            return ScheduledRung(key: key, fireAt: at)
        }
        .sorted { ($0.fireAt.instant, $0.key.rung) < ($1.fireAt.instant, $1.key.rung) }
    }

    /// The rungs of `clock` that fired (under its current epoch) although, through `calendar`,
    /// the clock has not reached them at `now`: they fired early under an earlier calendar.
    /// Nothing for a stopped clock, whose findings stand.
    /// - Complexity: O(rungs × ledger entries).
    public func firedEarly(of clock: DeadlineClock, fired: Set<RungKey>, at now: Date, calendar: WorkingCalendar) -> [RungKey] {
        guard !clock.isStopped else { return [] }
        let consumed = clock.consumedSeconds(at: now, calendar: calendar)
        return rungs.compactMap { spec -> RungKey? in
            let key = RungKey(clock: clock.kind, rung: spec.kind, epoch: clock.epoch)
            let threshold = spec.trigger.threshold(
                budgetSeconds: clock.budgetSeconds, measure: clock.measure,
                workingSecondsPerDay: calendar.workingSecondsPerDay)
            return fired.contains(key) && consumed < threshold ? key : nil
        }
    }
}
