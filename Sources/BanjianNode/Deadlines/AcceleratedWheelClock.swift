public import DeadlineWheel

/// A clock that runs faster (or slower) than a base clock by a fixed rate, for demos and load
/// runs (`--clock-rate N`).
///
/// Simulated now is `start + (base elapsed since creation) × rate`; sleeping until a simulated
/// deadline sleeps `(simulated remaining) / rate` on the base clock. With a rate of 3 600 an hour
/// of deadlines passes every real second.
///
/// The base is the process's monotonic clock by default; tests inject a ``ManualWheelClock`` to
/// check the arithmetic without real sleeping.
public struct AcceleratedWheelClock<Base: WheelClock>: WheelClock {
    /// The simulated instant at creation.
    public let start: WheelInstant
    /// Simulated nanoseconds per base nanosecond.
    public let rate: Double
    /// The clock whose elapsed time is scaled.
    public let base: Base
    /// The base clock's reading at creation.
    public let baseStart: WheelInstant

    /// The longest single sleep on the base clock, in base nanoseconds (one hour): it bounds the
    /// conversion of far deadlines (the driver's idle horizon) to base time.
    static var maximumBaseStepNanoseconds: Int64 { 3_600_000_000_000 }

    /// Creates a clock that reads `start` now and then runs `rate` times as fast as `base`.
    ///
    /// - Parameters:
    ///   - start: The simulated instant at creation.
    ///   - rate: Simulated time per unit of base time; must be positive and finite.
    ///   - base: The clock whose elapsed time is scaled.
    /// - Returns: `nil` unless `rate` is positive and finite.
    public init?(start: WheelInstant, rate: Double, base: Base) {
        guard rate > 0, rate.isFinite else { return nil }
        self.start = start
        self.rate = rate
        self.base = base
        self.baseStart = base.now()
    }

    /// The simulated instant that corresponds to the base clock reading `baseInstant`.
    ///
    /// Rounded down, so the simulated clock never runs ahead of `rate`.
    public func simulated(atBase baseInstant: WheelInstant) -> WheelInstant {
        let elapsed = Double(baseInstant.saturatingNanoseconds(since: baseStart)) * rate
        return start.saturatingAdvanced(by: Self.clampedNanoseconds(elapsed.rounded(.down)))
    }

    /// The simulated current instant.
    public func now() -> WheelInstant {
        simulated(atBase: base.now())
    }

    /// Sleeps until the simulated clock reads `deadline` or later.
    ///
    /// Each step sleeps the simulated remainder divided by the rate (rounded up, at most
    /// ``maximumBaseStepNanoseconds``) on the base clock, then re-reads it.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: WheelInstant) async throws {
        try Task.checkCancellation()
        while true {
            let baseNow = base.now()
            let remaining = deadline.saturatingNanoseconds(since: simulated(atBase: baseNow))
            if remaining <= 0 { return }
            let baseRemaining = (Double(remaining) / rate).rounded(.up)
            let step = max(1, min(Self.clampedNanoseconds(baseRemaining), Self.maximumBaseStepNanoseconds))
            try await base.sleep(until: baseNow.saturatingAdvanced(by: step))
        }
    }

    /// `value` as `Int64`, clamped: converting an out-of-range `Double` would trap.
    private static func clampedNanoseconds(_ value: Double) -> Int64 {
        if value >= 0x1p63 { return .max }
        if value < -0x1p63 { return .min }
        return Int64(value)
    }
}

extension AcceleratedWheelClock where Base == MonotonicWheelClock {
    /// Creates a clock that reads `start` now and then runs `rate` times as fast as real time.
    ///
    /// - Parameters:
    ///   - start: The simulated instant at creation, usually the wall clock's now.
    ///   - rate: Simulated time per unit of real time; must be positive and finite.
    /// - Returns: `nil` unless `rate` is positive and finite.
    public init?(start: WheelInstant, rate: Double) {
        self.init(start: start, rate: rate, base: MonotonicWheelClock())
    }
}
