public import Foundation

/// A deadline clock: a budget of time plus a ledger of what changed it. The due instant is never
/// stored; it is derived from the ledger through the calendar, so loading a year's holiday data
/// later re-projects every live deadline.
///
/// Pauses (补正, special steps), resumptions, approved extensions (延期) and restarts are ledger
/// entries. Consumption is measured in working time or elapsed time (`Measure`).
public struct DeadlineClock: Hashable, Sendable, Codable {
    /// How the clock measures consumption.
    public enum Measure: String, Hashable, Sendable, Codable {
        /// Only office hours of working days count.
        case workingTime
        /// Every second counts (limits stated in calendar days).
        case elapsedTime
    }

    /// One ledger entry.
    public struct Entry: Hashable, Sendable, Codable {
        public let at: Date
        public let change: Change
    }

    /// What an entry changed.
    public enum Change: Hashable, Sendable, Codable {
        /// The clock starts counting at `at` with this budget.
        case start(budgetSeconds: Int64)
        case pause(reason: String)
        case resume
        /// An approved extension adds to the budget.
        case extend(seconds: Int64, approver: String, reason: String)
        /// Consumption starts again from zero with a new budget.
        case restart(budgetSeconds: Int64)
        case stop

        var setsOrigin: Bool {
            switch self {
            case .start, .restart: true
            case .pause, .resume, .extend, .stop: false
            }
        }
    }

    /// Where the clock stands.
    public enum Status: Hashable, Sendable, Codable {
        case running(since: Date)
        case paused(since: Date)
        case stopped(at: Date)
    }

    /// Errors of ledger operations.
    public enum LedgerError: Error, Hashable, Sendable {
        case notRunning(ClockKind)
        case notPaused(ClockKind)
        case stopped(ClockKind)
        case timeWentBackwards(ClockKind)
        case invalidAmount(ClockKind)
    }

    public let kind: ClockKind
    public let measure: Measure
    public private(set) var budgetSeconds: Int64
    public private(set) var ledger: [Entry]
    public private(set) var status: Status
    /// Bumped by every extension and restart, so a rung re-armed by a new budget fires again.
    public private(set) var epoch: Int

    /// Starts a clock.
    /// - Parameters:
    ///   - origin: when counting starts; may lie after the event that started it (next-day start).
    ///   - epoch: the first epoch; a clock replacing an earlier one of the same kind continues
    ///     its epochs so old rung keys never match.
    public init(kind: ClockKind, measure: Measure, budgetSeconds: Int64, origin: Date, epoch: Int = 0) {
        self.kind = kind
        self.measure = measure
        self.budgetSeconds = budgetSeconds
        self.ledger = [Entry(at: origin, change: .start(budgetSeconds: budgetSeconds))]
        self.status = .running(since: origin)
        self.epoch = epoch
    }

    public var isRunning: Bool { if case .running = status { true } else { false } }
    public var isStopped: Bool { if case .stopped = status { true } else { false } }

    // MARK: Ledger operations

    /// Pauses a running clock.
    public mutating func pause(at instant: Date, reason: String) throws(LedgerError) {
        guard case .running = status else { throw isStopped ? .stopped(kind) : .notRunning(kind) }
        try append(Entry(at: instant, change: .pause(reason: reason)))
        status = .paused(since: instant)
    }

    /// Resumes a paused clock.
    public mutating func resume(at instant: Date) throws(LedgerError) {
        guard case .paused = status else { throw isStopped ? .stopped(kind) : .notPaused(kind) }
        try append(Entry(at: instant, change: .resume))
        status = .running(since: instant)
    }

    /// Adds an approved extension to the budget.
    public mutating func extend(bySeconds seconds: Int64, at instant: Date, approver: String, reason: String) throws(LedgerError) {
        guard !isStopped else { throw .stopped(kind) }
        guard seconds > 0 else { throw .invalidAmount(kind) }
        try append(Entry(at: instant, change: .extend(seconds: seconds, approver: approver, reason: reason)))
        budgetSeconds += seconds
        epoch += 1
    }

    /// Starts counting again from zero with a new budget (a reopened case).
    /// - Parameter instant: the new origin; like a start, it may lie before or after `now`.
    public mutating func restart(budgetSeconds budget: Int64, at instant: Date) throws(LedgerError) {
        guard budget > 0 else { throw .invalidAmount(kind) }
        try append(Entry(at: instant, change: .restart(budgetSeconds: budget)))
        budgetSeconds = budget
        status = .running(since: instant)
        epoch += 1
    }

    /// Starts a new epoch with the same budget and ledger, so that rungs whose firing was
    /// withdrawn (a calendar correction) fire again.
    public mutating func rearm() throws(LedgerError) {
        guard !isStopped else { throw .stopped(kind) }
        epoch += 1
    }

    /// Stops the clock for good (the work it timed is done).
    public mutating func stop(at instant: Date) throws(LedgerError) {
        guard !isStopped else { throw .stopped(kind) }
        try append(Entry(at: instant, change: .stop))
        status = .stopped(at: instant)
    }

    /// Appends an entry. Starts and restarts set an origin that may lie on either side of other
    /// entries (a next-day or receipt-day start); every other entry must not precede the previous one.
    private mutating func append(_ entry: Entry) throws(LedgerError) {
        if !entry.change.setsOrigin,
           let last = ledger.last(where: { !$0.change.setsOrigin }), entry.at < last.at {
            throw .timeWentBackwards(kind)
        }
        ledger.append(entry)
    }

    // MARK: Projection

    /// The stretches during which the current budget was being consumed, since the last restart.
    /// An open stretch has `end == nil`. Counting never begins before the clock's origin.
    private var runningStretches: [(start: Date, end: Date?)] {
        let segmentStart = ledger.lastIndex { if case .restart = $0.change { true } else { false } } ?? 0
        let origin = ledger[segmentStart].at
        var stretches: [(start: Date, end: Date?)] = []
        var runningSince: Date? = origin
        for entry in ledger[(segmentStart + 1)...] {
            switch entry.change {
            case .pause, .stop:
                if let since = runningSince { stretches.append((since, max(since, entry.at))) }
                runningSince = nil
            case .resume:
                runningSince = max(entry.at, origin)
            case .start, .extend, .restart:
                break
            }
        }
        if let since = runningSince { stretches.append((since, nil)) }
        return stretches
    }

    private func measured(from a: Date, to b: Date, calendar: WorkingCalendar) -> Int64 {
        guard b > a else { return 0 }
        switch measure {
        case .workingTime: return calendar.workingSeconds(from: a, to: b)
        case .elapsedTime: return Int64((b.timeIntervalSince1970 - a.timeIntervalSince1970).rounded(.down))
        }
    }

    private func adding(_ seconds: Int64, to start: Date, calendar: WorkingCalendar) -> ProjectedInstant {
        switch measure {
        case .workingTime:
            return calendar.addingWorkingSeconds(seconds, to: start)
        case .elapsedTime:
            let instant = start.addingTimeInterval(TimeInterval(seconds))
            return ProjectedInstant(instant: instant, provisional: false)
        }
    }

    /// The budget consumed by `now`, replayed from the ledger through `calendar`.
    /// - Complexity: O(ledger entries); each measurement is O(1).
    public func consumedSeconds(at now: Date, calendar: WorkingCalendar) -> Int64 {
        runningStretches.reduce(0) { total, stretch in
            total + measured(from: stretch.start, to: min(stretch.end ?? now, now), calendar: calendar)
        }
    }

    /// The instant at which consumption reaches `threshold` seconds, or `nil` if the clock is
    /// paused or stopped before reaching it. A threshold already reached gives the past instant.
    /// - Complexity: O(ledger entries).
    public func instant(whenConsumed threshold: Int64, calendar: WorkingCalendar) -> ProjectedInstant? {
        var consumed: Int64 = 0
        for stretch in runningStretches {
            let remaining = max(0, threshold - consumed)
            guard let end = stretch.end else { return adding(remaining, to: stretch.start, calendar: calendar) }
            let length = measured(from: stretch.start, to: end, calendar: calendar)
            if length >= remaining { return adding(remaining, to: stretch.start, calendar: calendar) }
            consumed += length
        }
        return nil
    }

    /// The due instant while the clock can still reach it; `nil` when paused or stopped short.
    public func due(calendar: WorkingCalendar) -> ProjectedInstant? {
        instant(whenConsumed: budgetSeconds, calendar: calendar)
    }

    /// Whether the budget is used up at `now`.
    public func isBreached(at now: Date, calendar: WorkingCalendar) -> Bool {
        consumedSeconds(at: now, calendar: calendar) >= budgetSeconds
    }
}
