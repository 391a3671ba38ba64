public import DeadlineWheel

/// A source of time for the deadline driver: a real clock in production, a manual one in tests,
/// an accelerated one for demos and load runs.
///
/// Instants are on the wheel's time line (nanoseconds since the Unix epoch for the system clock).
/// The wheel itself reads no clock; the driver asks one of these and passes the time in.
public protocol WheelClock: Sendable {
    /// The current instant on this clock.
    func now() -> WheelInstant

    /// Suspends until ``now()`` has reached `deadline`; returns at once when it already has.
    ///
    /// - Parameter deadline: The instant to wait for, on this clock's time line.
    /// - Throws: `CancellationError` when the calling task is (or becomes) cancelled.
    func sleep(until deadline: WheelInstant) async throws
}

// Saturating arithmetic on the time line: deadlines far in the future (the driver's idle horizon
// is `Int64.max`) must never trap.
extension WheelInstant {
    /// The instant the driver sleeps until when no timer is pending: the end of the time line.
    static var endOfTime: WheelInstant { WheelInstant(nanoseconds: .max) }

    /// `self` moved by `nanoseconds`, clamped to the representable range.
    package func saturatingAdvanced(by nanoseconds: Int64) -> WheelInstant {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        guard overflow else { return WheelInstant(nanoseconds: sum) }
        return WheelInstant(nanoseconds: nanoseconds > 0 ? .max : .min)
    }

    /// Nanoseconds from `earlier` to `self` (negative when `earlier` is later), clamped.
    func saturatingNanoseconds(since earlier: WheelInstant) -> Int64 {
        let (difference, overflow) = self.nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        guard overflow else { return difference }
        return earlier.nanoseconds < 0 ? .max : .min
    }
}

extension Duration {
    /// The duration in whole nanoseconds (rounded toward zero), clamped to `Int64`.
    package var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds > 0 ? .max : .min }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow2 else { return seconds > 0 ? .max : .min }
        return total
    }
}

/// Sleeps on the process's continuous clock in steps of at most `maximumStepNanoseconds`,
/// re-reading `remainingNanoseconds` after every step, until it is zero or less.
///
/// Stepping bounds every single `Task.sleep` (no overflow for far deadlines) and lets a clock
/// whose time line can jump (the wall clock) follow the jump within one step.
///
/// - Throws: `CancellationError` when the task is cancelled.
func sleepInSteps(
    maximumStepNanoseconds: Int64,
    remainingNanoseconds: () -> Int64
) async throws {
    try Task.checkCancellation()
    while true {
        let remaining = remainingNanoseconds()
        if remaining <= 0 { return }
        try await Task.sleep(for: .nanoseconds(min(remaining, maximumStepNanoseconds)))
    }
}
