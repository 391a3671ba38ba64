/// What a deadline scheduler offers: the wheel, and the heap baseline it is measured against.
public protocol DeadlineScheduling<Payload> {
    associatedtype Payload

    /// Pending timers.
    var count: Int { get }
    /// The earliest pending deadline (at the scheduler's resolution), or `nil` when empty; a
    /// mutating get, so that a lazy scheduler may drop stale entries on the way.
    var nextDeadline: WheelInstant? { mutating get }
    /// Whether the handle's timer is pending.
    func contains(_ handle: TimerHandle) -> Bool
    /// Bytes of storage held (capacity, not only use), payload storage included.
    var storageBytes: Int { get }

    /// Adds a timer; a deadline in the past fires at the next `advance`.
    mutating func schedule(at deadline: WheelInstant, _ payload: Payload) -> TimerHandle
    /// Removes a pending timer and returns its payload; `nil` (and no change) when the handle's
    /// timer already fired or was cancelled.
    mutating func cancel(_ handle: TimerHandle) -> Payload?
    /// Moves a pending timer to a new deadline, as if newly scheduled; `false` (and no change)
    /// when it is not pending.
    @discardableResult
    mutating func reschedule(_ handle: TimerHandle, to deadline: WheelInstant) -> Bool
    /// Fires every timer due at or before `now`, in deadline order, equal deadlines first-in
    /// first-out. `fire` may schedule, cancel and reschedule through its `inout` argument.
    /// - Returns: how many fired.
    @discardableResult
    mutating func advance(to now: WheelInstant, fire: (inout Self, FiredTimer<Payload>) -> Void) -> Int
}
