public import BanjianNode
public import DeadlineWheel
import Synchronization

/// A clock that moves only when told to, for tests and deterministic runs.
///
/// ``advance(to:)`` resumes every sleeper whose deadline has been reached. Tests wait for the code
/// under test to fall asleep with ``waitForSleepers(count:)`` or ``waitForSleeper(until:)``
/// instead of wall-clock delays, then move the clock.
///
/// Sleepers are cancellation-aware: cancelling a sleeping task removes its sleeper and makes
/// ``sleep(until:)`` throw `CancellationError`; nothing is left behind.
public final class ManualWheelClock: WheelClock {
    /// One call of `sleep(until:)` or of a `waitFor…` method, from registration to resumption.
    private enum Registration<Continuation> {
        /// The id is allocated; the continuation is not registered yet.
        case pending
        /// Registered and suspended.
        case waiting(Continuation)
        /// Cancelled before the continuation was registered.
        case cancelled
    }

    private struct Sleeper {
        var deadline: WheelInstant
        var registration: Registration<CheckedContinuation<Void, any Error>>
    }

    private struct Waiter {
        var isSatisfied: @Sendable ([WheelInstant]) -> Bool
        var registration: Registration<CheckedContinuation<Void, Never>>
    }

    private struct State {
        var now: WheelInstant
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var waiters: [UInt64: Waiter] = [:]

        mutating func allocateID() -> UInt64 {
            nextID += 1
            return nextID
        }

        /// Deadlines of the suspended sleepers, earliest first.
        var sleeperDeadlines: [WheelInstant] {
            sleepers.values.compactMap { sleeper in
                if case .waiting = sleeper.registration { sleeper.deadline } else { nil }
            }.sorted()
        }

        /// Removes and returns the waiters whose condition now holds.
        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            let deadlines = sleeperDeadlines
            var satisfied: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in waiters {
                guard case .waiting(let continuation) = waiter.registration, waiter.isSatisfied(deadlines) else {
                    continue
                }
                waiters[id] = nil
                satisfied.append(continuation)
            }
            return satisfied
        }
    }

    private let state: Mutex<State>

    /// Creates a clock that reads `start` until it is advanced.
    public init(start: WheelInstant) {
        self.state = Mutex(State(now: start))
    }

    /// The clock's current instant.
    public func now() -> WheelInstant {
        state.withLock { $0.now }
    }

    /// How many tasks are suspended in ``sleep(until:)``.
    public var sleeperCount: Int {
        state.withLock { $0.sleeperDeadlines.count }
    }

    /// The deadlines the suspended sleepers wait for, earliest first.
    public var sleeperDeadlines: [WheelInstant] {
        state.withLock { $0.sleeperDeadlines }
    }

    /// Moves the clock forward by `nanoseconds` and resumes every sleeper whose deadline is reached.
    ///
    /// - Parameter nanoseconds: How far to move; zero or less leaves the clock where it is.
    public func advance(by nanoseconds: Int64) {
        let target = now().saturatingAdvanced(by: max(nanoseconds, 0))
        advance(to: target)
    }

    /// Moves the clock forward by `duration` and resumes every sleeper whose deadline is reached.
    public func advance(by duration: Duration) {
        advance(by: duration.saturatingNanoseconds)
    }

    /// Moves the clock to `instant` and resumes every sleeper whose deadline is reached, earliest
    /// deadline first.
    ///
    /// - Parameter instant: The new time; an instant before the current one leaves the clock
    ///   unchanged (the clock never goes back).
    public func advance(to instant: WheelInstant) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard instant > state.now else { return [] }
            state.now = instant
            var due: [(deadline: WheelInstant, id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
            for (id, sleeper) in state.sleepers {
                guard case .waiting(let continuation) = sleeper.registration, sleeper.deadline <= instant else {
                    continue
                }
                state.sleepers[id] = nil
                due.append((sleeper.deadline, id, continuation))
            }
            due.sort { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            return due.map(\.continuation)
        }
        for continuation in due {
            continuation.resume()
        }
        // Resumed sleepers left; a waiter may be waiting for fewer of them.
        resumeSatisfiedWaiters()
    }

    /// Suspends until the clock has been advanced to `deadline` or later.
    ///
    /// - Throws: `CancellationError` when the task is (or becomes) cancelled; the sleeper is
    ///   removed at once.
    public func sleep(until deadline: WheelInstant) async throws {
        let id = state.withLock { state in
            let id = state.allocateID()
            state.sleepers[id] = Sleeper(deadline: deadline, registration: .pending)
            return id
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case suspended, returnNow, cancelled }
                let outcome: Outcome = state.withLock { state in
                    guard case .pending = state.sleepers[id]?.registration else {
                        state.sleepers[id] = nil
                        return .cancelled
                    }
                    if deadline <= state.now {
                        state.sleepers[id] = nil
                        return .returnNow
                    }
                    state.sleepers[id]?.registration = .waiting(continuation)
                    return .suspended
                }
                switch outcome {
                case .suspended: resumeSatisfiedWaiters()
                case .returnNow: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state.sleepers[id]?.registration {
                case .pending:
                    state.sleepers[id]?.registration = .cancelled
                    return nil
                case .waiting(let continuation):
                    state.sleepers[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
            if continuation != nil { resumeSatisfiedWaiters() }
        }
    }

    /// Suspends until at least `count` tasks are asleep on this clock.
    ///
    /// Returns early, without the condition holding, when the calling task is cancelled.
    public func waitForSleepers(count: Int) async {
        await waitUntil { $0.count >= count }
    }

    /// Suspends until some task is asleep on this clock with exactly `deadline` as its deadline.
    ///
    /// Returns early, without the condition holding, when the calling task is cancelled.
    public func waitForSleeper(until deadline: WheelInstant) async {
        await waitUntil { $0.contains(deadline) }
    }

    /// Suspends until `condition` holds for the sorted deadlines of the suspended sleepers.
    private func waitUntil(_ condition: @escaping @Sendable ([WheelInstant]) -> Bool) async {
        let id: UInt64? = state.withLock { state in
            if condition(state.sleeperDeadlines) { return nil }
            let id = state.allocateID()
            state.waiters[id] = Waiter(isSatisfied: condition, registration: .pending)
            return id
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = state.withLock { state in
                    guard case .pending = state.waiters[id]?.registration else {
                        state.waiters[id] = nil
                        return true
                    }
                    if condition(state.sleeperDeadlines) {
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id]?.registration = .waiting(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
                switch state.waiters[id]?.registration {
                case .pending:
                    state.waiters[id]?.registration = .cancelled
                    return nil
                case .waiting(let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume()
        }
    }

    private func resumeSatisfiedWaiters() {
        let satisfied = state.withLock { $0.takeSatisfiedWaiters() }
        for continuation in satisfied {
            continuation.resume()
        }
    }
}
