/// An instant on the wheel's time line: nanoseconds since 1970-01-01T00:00:00Z.
///
/// Int64 nanoseconds cover the years 1678 to 2262, which includes the 2038 and 2100 boundaries
/// and more than a century either side of today.
public struct WheelInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Whole seconds since the epoch, saturating at the ends of the Int64 nanosecond range.
    @inlinable
    public static func seconds(_ seconds: Int64) -> WheelInstant {
        TickResolution(nanoseconds: 1_000_000_000).instant(ofTick: seconds)
    }

    @inlinable
    public static func < (lhs: WheelInstant, rhs: WheelInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(nanoseconds)ns" }
}

/// A scheduler's tick length, and the one rounding between instants and ticks that the wheel
/// and the heap baseline share: a deadline rounds up (never early), `now` rounds down.
public struct TickResolution: Hashable, Sendable {
    /// Nanoseconds per tick, at least 1.
    public let nanoseconds: Int64

    /// A resolution; values below 1 ns become 1.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = max(1, nanoseconds) }

    /// The tick an instant falls in (rounded down, toward the past).
    @inlinable
    public func tick(containing instant: WheelInstant) -> Int64 {
        let quotient = instant.nanoseconds / nanoseconds
        return instant.nanoseconds % nanoseconds < 0 ? quotient - 1 : quotient
    }

    /// The first tick starting at or after an instant (rounded up, toward the future).
    @inlinable
    public func tick(atOrAfter instant: WheelInstant) -> Int64 {
        let quotient = instant.nanoseconds / nanoseconds
        return instant.nanoseconds % nanoseconds > 0 ? quotient + 1 : quotient
    }

    /// The instant a tick starts, saturating at the ends of the Int64 nanosecond range.
    @inlinable
    public func instant(ofTick tick: Int64) -> WheelInstant {
        let (product, overflow) = tick.multipliedReportingOverflow(by: nanoseconds)
        return WheelInstant(nanoseconds: overflow ? (tick < 0 ? .min : .max) : product)
    }
}

/// A pending timer's identity. It is checked against the slot's generation, so a handle of a
/// fired or cancelled timer never touches a timer that later reused the slot.
public struct TimerHandle: Hashable, Sendable, CustomStringConvertible {
    /// The slot the timer occupies in its scheduler's storage.
    public let index: UInt32
    /// The slot's generation when the timer was scheduled.
    public let generation: UInt32

    /// For other schedulers of the same interface (the heap baseline); the wheel makes its own.
    @inlinable
    public init(index: UInt32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }

    public var description: String { "timer#\(index).\(generation)" }
}

/// A timer the wheel fired.
public struct FiredTimer<Payload> {
    public let handle: TimerHandle
    /// The deadline, rounded up to the wheel's resolution.
    public let deadline: WheelInstant
    public let payload: Payload

    @inlinable
    public init(handle: TimerHandle, deadline: WheelInstant, payload: Payload) {
        self.handle = handle
        self.deadline = deadline
        self.payload = payload
    }
}

extension FiredTimer: Sendable where Payload: Sendable {}
