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
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return WheelInstant(nanoseconds: overflow ? (seconds < 0 ? .min : .max) : nanoseconds)
    }

    @inlinable
    public static func < (lhs: WheelInstant, rhs: WheelInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(nanoseconds)ns" }
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
