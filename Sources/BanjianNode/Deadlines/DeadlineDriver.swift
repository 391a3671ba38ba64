public import DeadlineWheel
public import Logging
public import ServiceLifecycle
import Synchronization

/// Runs a ``DeadlineWheel`` against a ``WheelClock``: fires due timers, sleeps until the next
/// deadline, wakes early when an earlier timer arrives, and stops on graceful shutdown or
/// cancellation.
///
/// The wheel is a value type and not thread-safe; the driver owns it behind a mutex, so
/// ``schedule(at:_:)``, ``cancel(_:)`` and ``reschedule(_:to:)`` may be called from any task while
/// ``run()`` is sleeping or firing.
///
/// Each turn of ``run()`` advances the wheel to `clock.now()` under the lock, collecting every due
/// timer in deadline order (equal deadlines first-in first-out), then hands the batch to `onFire`
/// outside the lock and awaits it: the node commits the rung events there, and may schedule the
/// next rungs from inside it. With nothing due, it sleeps until the wheel's next deadline, or
/// until the end of the time line when the wheel is empty, racing the sleep against a wake-up
/// signal that ``schedule(at:_:)`` and ``reschedule(_:to:)`` send when they move the next
/// deadline earlier than the sleep target.
///
/// Graceful shutdown lets a batch in flight finish and then stops; task cancellation stops at the
/// next suspension point. Timers still pending (or fired but not yet committed) are the
/// database's to restore at the next start.
public final class DeadlineDriver<Payload: Sendable, Clock: WheelClock>: Service, Sendable {
    /// What the run loop is sleeping for, while it sleeps.
    private struct Sleep {
        /// The instant the clock sleep ends at.
        var target: WheelInstant
        /// Ends the sleep early.
        var wakeUp: AsyncStream<Void>.Continuation
    }

    private struct State {
        var wheel: DeadlineWheel<Payload>
        /// Set while the run loop sleeps; cleared by whoever ends the sleep.
        var sleep: Sleep?
        var isShuttingDown = false

        /// Ends the sleep when the wheel's next deadline is now earlier than the sleep target.
        ///
        /// - Parameter deadline: The deadline just scheduled; a cheap filter before the exact
        ///   check, since a deadline at or after the target can never move the next deadline
        ///   before it (the wheel rounds deadlines up, never down).
        /// - Returns: The continuation to yield to, outside the lock.
        mutating func takeWakeUp(ifEarlierThan deadline: WheelInstant) -> AsyncStream<Void>.Continuation? {
            guard let sleep, deadline < sleep.target,
                let next = wheel.nextDeadline, next < sleep.target
            else { return nil }
            self.sleep = nil
            return sleep.wakeUp
        }
    }

    /// One turn of the run loop, decided under the lock.
    private enum Step: Sendable {
        case fire([FiredTimer<Payload>], pending: Int)
        case sleep(until: WheelInstant, wakeUp: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
        case stop
    }

    private let state: Mutex<State>
    private let clock: Clock
    private let logger: Logger
    private let onFire: @Sendable ([FiredTimer<Payload>]) async -> Void

    /// Creates a driver; nothing runs until ``run()``.
    ///
    /// - Parameters:
    ///   - wheel: The wheel to drive, possibly already filled (the node rebuilds it from the
    ///     database in bulk before starting).
    ///   - clock: The source of time.
    ///   - logger: Where start, stop and fired batches are logged.
    ///   - onFire: Receives each batch of fired timers in deadline order; awaited before the
    ///     next turn.
    public init(
        wheel: DeadlineWheel<Payload>,
        clock: Clock,
        logger: Logger,
        onFire: @escaping @Sendable ([FiredTimer<Payload>]) async -> Void
    ) {
        self.state = Mutex(State(wheel: wheel))
        self.clock = clock
        self.logger = logger
        self.onFire = onFire
    }

    /// Pending timers.
    public var count: Int {
        state.withLock { $0.wheel.count }
    }

    /// The earliest pending deadline at the wheel's resolution, or `nil` when none is pending.
    public var nextDeadline: WheelInstant? {
        state.withLock { $0.wheel.nextDeadline }
    }

    /// Adds a timer, waking the run loop when it is now the earliest; a deadline in the past fires
    /// at the next turn.
    ///
    /// - Parameters:
    ///   - deadline: When the timer fires (rounded up to the wheel's resolution).
    ///   - payload: What ``run()`` hands to `onFire`.
    /// - Returns: The handle for ``cancel(_:)`` and ``reschedule(_:to:)``.
    /// - Complexity: O(1) amortized, as the wheel's `schedule`.
    @discardableResult
    public func schedule(at deadline: WheelInstant, _ payload: Payload) -> TimerHandle {
        let (handle, wakeUp) = state.withLock { state in
            let handle = state.wheel.schedule(at: deadline, payload)
            return (handle, state.takeWakeUp(ifEarlierThan: deadline))
        }
        wakeUp?.yield()
        return handle
    }

    /// Removes a pending timer.
    ///
    /// The run loop is not woken: if it sleeps for this timer, it wakes at the old deadline, finds
    /// nothing due, and sleeps on.
    ///
    /// - Returns: The payload, or `nil` when the timer already fired or was cancelled.
    /// - Complexity: O(1).
    @discardableResult
    public func cancel(_ handle: TimerHandle) -> Payload? {
        state.withLock { $0.wheel.cancel(handle) }
    }

    /// Moves a pending timer to a new deadline, waking the run loop when it is now the earliest.
    ///
    /// - Returns: `false` (and no change) when the timer is not pending.
    /// - Complexity: O(1).
    @discardableResult
    public func reschedule(_ handle: TimerHandle, to deadline: WheelInstant) -> Bool {
        let (moved, wakeUp) = state.withLock { state in
            guard state.wheel.reschedule(handle, to: deadline) else {
                return (false, AsyncStream<Void>.Continuation?.none)
            }
            return (true, state.takeWakeUp(ifEarlierThan: deadline))
        }
        wakeUp?.yield()
        return moved
    }

    /// Fires due timers and sleeps between them until graceful shutdown or task cancellation.
    ///
    /// Call it once (the node's `ServiceGroup` does): two loops on one wheel would race for the
    /// same sleep slot.
    ///
    /// - Throws: Only what the clock's sleep throws other than `CancellationError`; stopping is a
    ///   normal return.
    public func run() async throws {
        logger.info("deadline driver started", metadata: ["wheel.pending": "\(count)"])
        try await withGracefulShutdownHandler {
            try await runLoop()
        } onGracefulShutdown: {
            let wakeUp = self.state.withLock { state in
                state.isShuttingDown = true
                let wakeUp = state.sleep?.wakeUp
                state.sleep = nil
                return wakeUp
            }
            wakeUp?.yield()
        }
        logger.info("deadline driver stopped", metadata: ["wheel.pending": "\(count)"])
    }

    private func runLoop() async throws {
        while !Task.isCancelled {
            let now = clock.now()
            let step: Step = state.withLock { state in
                if state.isShuttingDown { return .stop }
                var fired: [FiredTimer<Payload>] = []
                state.wheel.advance(to: now) { _, timer in fired.append(timer) }
                if !fired.isEmpty {
                    return .fire(fired, pending: state.wheel.count)
                }
                // Registering the sleep under the same lock as reading the next deadline: a timer
                // scheduled after this point sees the target and wakes us.
                let target = state.wheel.nextDeadline ?? .endOfTime
                let (wakeUp, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
                state.sleep = Sleep(target: target, wakeUp: continuation)
                return .sleep(until: target, wakeUp: wakeUp, continuation: continuation)
            }
            switch step {
            case .stop:
                return
            case .fire(let batch, let pending):
                logger.debug(
                    "deadlines fired",
                    metadata: [
                        "wheel.fired": "\(batch.count)",
                        "wheel.pending": "\(pending)",
                        "wheel.now": "\(now)",
                    ]
                )
                await onFire(batch)
            case .sleep(let target, let wakeUp, let continuation):
                try await sleep(until: target, orUntil: wakeUp)
                state.withLock { state in state.sleep = nil }
                continuation.finish()
            }
        }
    }

    /// Sleeps on the clock until `target`, or until `wakeUp` yields, or until cancelled.
    private func sleep(until target: WheelInstant, orUntil wakeUp: AsyncStream<Void>) async throws {
        let clock = self.clock
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await clock.sleep(until: target)
            }
            group.addTask {
                // Ends on the first signal, or with nil when the task is cancelled.
                for await _ in wakeUp { return }
            }
            do {
                try await group.next()
            } catch is CancellationError {
                // The run loop checks for cancellation before its next turn.
            }
            group.cancelAll()
        }
    }
}
