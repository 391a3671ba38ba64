public import Foundation

/// A running clock of a case past its due instant (超期), as a supervisor sees it.
public struct OverdueClock: Hashable, Sendable {
    public let record: CaseRecord
    public let clock: ClockKind
    public let dueAt: Date
    /// Working time past the due instant, through the node's calendar.
    public let overdueWorkingSeconds: Int64
    /// Working days overdue: any part of a working day counts as one (the first overdue day).
    public let overdueWorkingDays: Int
    /// The highest rung of the clock's current epoch fired so far.
    public let lastRung: RungKind?

    /// The clock `clock` of `record`, due at `dueAt`, as of `now`; `nil` when it is not overdue then.
    public init?(record: CaseRecord, clock: ClockKind, dueAt: Date, now: Date, calendar: WorkingCalendar) {
        guard dueAt < now else { return nil }
        self.record = record
        self.clock = clock
        self.dueAt = dueAt
        overdueWorkingSeconds = calendar.workingSeconds(from: dueAt, to: now)
        overdueWorkingDays = calendar.workingDays(inWorkingSeconds: overdueWorkingSeconds)
        let epoch = record.clocks[clock]?.epoch
        lastRung = record.firedRungs.filter { $0.clock == clock && $0.epoch == epoch }.map(\.rung).max()
    }
}

extension WorkingCalendar {
    /// Working days in `seconds` of working time, where any part of a working day counts as one.
    public func workingDays(inWorkingSeconds seconds: Int64) -> Int {
        let perDay = max(workingSecondsPerDay, 1)
        return Int((max(0, seconds) + perDay - 1) / perDay)
    }

    /// The working days from a due instant to a later stop: any part of a working day counts as
    /// one, and a stop after the due instant counts at least one.
    public func workingDaysLate(from due: Date, to stop: Date) -> Int {
        max(1, workingDays(inWorkingSeconds: workingSeconds(from: due, to: stop)))
    }
}

/// Which overdue clocks to list, one page at a time.
public struct OverdueQuery: Hashable, Sendable {
    /// Cases held in this node's subtree only; `nil`: every case the node knows.
    public var subtree: NodeCode?
    /// The clocks that count: the promised and statutory limits unless set.
    public var clocks: Set<ClockKind> = [.promised, .statutory]
    /// Continue after this clock (from the previous page).
    public var after: OverdueCursor?
    public var limit = 50

    public init() {}
}

/// Where a page of overdue clocks ends: the next page starts after it.
public struct OverdueCursor: Hashable, Sendable {
    public let dueAt: Date
    public let caseNumber: CaseNumber
    public let clock: ClockKind

    public init(dueAt: Date, caseNumber: CaseNumber, clock: ClockKind) {
        self.dueAt = dueAt
        self.caseNumber = caseNumber
        self.clock = clock
    }
}
