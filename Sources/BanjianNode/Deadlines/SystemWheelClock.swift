public import DeadlineWheel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock: instants are civil time, nanoseconds since 1970-01-01T00:00:00Z.
///
/// Deadlines are absolute civil instants (a case is due at 17:30 Beijing time on a given day), so
/// the node's production clock is the realtime clock, not a monotonic one. This file is the one
/// place in the node that reads the system clocks.
///
/// Sleeping is done in steps of at most ``maximumSleepStep`` of real time, re-reading the wall
/// clock after each, so a wall-clock jump (NTP step, operator correction) is followed within one
/// step in either direction.
public struct SystemWheelClock: WheelClock {
    /// The longest single sleep before the wall clock is read again.
    public let maximumSleepStep: Duration

    /// Creates the wall clock.
    ///
    /// - Parameter maximumSleepStep: The longest single sleep before re-reading the wall clock;
    ///   one second by default. Values below one millisecond are raised to one millisecond.
    public init(maximumSleepStep: Duration = .seconds(1)) {
        self.maximumSleepStep = max(maximumSleepStep, .milliseconds(1))
    }

    /// The current civil instant (`clock_gettime(CLOCK_REALTIME)`).
    public func now() -> WheelInstant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WheelInstant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// Sleeps until the wall clock reads `deadline` or later.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: WheelInstant) async throws {
        try await sleepInSteps(maximumStepNanoseconds: maximumSleepStep.saturatingNanoseconds) {
            deadline.saturatingNanoseconds(since: now())
        }
    }
}

/// A monotonic clock: nanoseconds elapsed since the clock was created, never jumping.
///
/// Its instants are not civil time; it is the default base of ``AcceleratedWheelClock``, which
/// only needs elapsed real time.
public struct MonotonicWheelClock: WheelClock {
    private let origin: ContinuousClock.Instant

    /// Creates a clock that reads zero now.
    public init() {
        self.origin = ContinuousClock.now
    }

    /// Nanoseconds elapsed since ``init()``.
    public func now() -> WheelInstant {
        WheelInstant(nanoseconds: origin.duration(to: ContinuousClock.now).saturatingNanoseconds)
    }

    /// Sleeps until `deadline` nanoseconds have elapsed since ``init()``.
    ///
    /// Steps of at most an hour keep every single sleep well inside `Task.sleep`'s range, even for
    /// the driver's idle horizon at the end of the time line.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: WheelInstant) async throws {
        try await sleepInSteps(maximumStepNanoseconds: 3_600_000_000_000) {
            deadline.saturatingNanoseconds(since: now())
        }
    }
}
