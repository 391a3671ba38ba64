/// A hierarchical timing wheel (Varghese & Lauck) holding every pending deadline of a node.
///
/// Time is a count of ticks of `resolution` nanoseconds. Level `L` has 64 slots of 64^L ticks
/// each; a timer sits at the lowest level whose slot range separates its deadline from `now`,
/// in the slot its deadline falls in. When time reaches a higher-level slot, its timers cascade
/// down; a level-0 slot holds timers of exactly one tick and fires them. Timers beyond the top
/// level wait in an overflow list and move into the wheel when time comes near; none is lost.
/// With the defaults (1 s, 6 levels) the wheel spans 64^6 s, about 2,177 years.
///
/// Storage is one contiguous array of 24-byte nodes (the slab) plus a parallel payload array.
/// Each slot is a circular doubly-linked list threaded through the slab with a sentinel node, so
/// unlinking needs no search; freed nodes are reused through a free list, so a scheduler in
/// steady state allocates nothing. Handles carry the node's generation, so a stale handle never
/// touches a timer that reused its node.
///
/// Deadlines are rounded up to the resolution: a timer never fires early, and at most one tick
/// late after `advance`. Timers due in the same tick fire first-in first-out (a `reschedule`
/// counts as a new schedule).
///
/// The wheel is a value type with no locks: one owner drives it (see `DeadlineDriver`).
public struct DeadlineWheel<Payload> {
    /// One slab entry: a timer, a free node, or a slot's sentinel.
    @usableFromInline
    struct Node {
        @usableFromInline var prev: UInt32
        @usableFromInline var next: UInt32
        @usableFromInline var generation: UInt32
        /// The sentinel of the list holding the node; `freeMark` when free.
        @usableFromInline var list: UInt32
        @usableFromInline var tick: Int64

        @inlinable
        init(prev: UInt32, next: UInt32, generation: UInt32, list: UInt32, tick: Int64) {
            self.prev = prev
            self.next = next
            self.generation = generation
            self.list = list
            self.tick = tick
        }
    }

    @usableFromInline static var freeMark: UInt32 { .max }
    @usableFromInline static var noNode: UInt32 { .max }

    /// Sentinels first (level `L` slot `s` at `L * 64 + s`, then the overflow list), timers after.
    @usableFromInline var nodes: [Node]
    @usableFromInline var payloads: [Payload?]
    /// One occupancy bitmap per level: bit `s` set when slot `s` is non-empty.
    @usableFromInline var occupied: [UInt64]
    @usableFromInline var freeHead: UInt32
    @usableFromInline var currentTick: Int64
    @usableFromInline var pending: Int
    /// Per list (slot or overflow): the smallest tick in it, when `minimumIsKnown`. Kept on every
    /// link; forgotten when the minimum leaves, and found again by a scan only when needed.
    @usableFromInline var listMinimum: [Int64]
    @usableFromInline var minimumIsKnown: [Bool]
    @usableFromInline var isAdvancing: Bool
    @usableFromInline let levels: Int
    /// Nanoseconds per tick.
    public let resolutionNanoseconds: Int64

    /// Creates an empty wheel.
    /// - Parameters:
    ///   - start: the wheel's current time.
    ///   - resolutionNanoseconds: the tick; values below 1 become 1.
    ///   - levels: 64-slot levels, clamped to 1...10; the span is 64^levels ticks, beyond which
    ///     timers wait in the overflow list.
    ///   - capacity: timers to reserve room for.
    public init(start: WheelInstant, resolutionNanoseconds: Int64 = 1_000_000_000, levels: Int = 6, capacity: Int = 0) {
        self.resolutionNanoseconds = max(1, resolutionNanoseconds)
        self.levels = min(max(1, levels), 10)
        let sentinels = self.levels * 64 + 1
        nodes = []
        nodes.reserveCapacity(sentinels + max(0, capacity))
        for index in 0..<UInt32(sentinels) {
            nodes.append(Node(prev: index, next: index, generation: 0, list: index, tick: 0))
        }
        payloads = Array(repeating: nil, count: sentinels)
        payloads.reserveCapacity(sentinels + max(0, capacity))
        occupied = Array(repeating: 0, count: self.levels)
        freeHead = Self.noNode
        currentTick = 0
        pending = 0
        listMinimum = Array(repeating: .max, count: sentinels)
        minimumIsKnown = Array(repeating: true, count: sentinels)
        isAdvancing = false
        currentTick = floorTick(start.nanoseconds)
    }

    // MARK: Reading

    /// Pending timers.
    @inlinable public var count: Int { pending }
    @inlinable public var isEmpty: Bool { pending == 0 }
    /// The wheel's time: the last `advance` target, at the resolution.
    @inlinable public var now: WheelInstant { instant(ofTick: currentTick) }

    /// Whether the handle's timer is pending.
    @inlinable
    public func contains(_ handle: TimerHandle) -> Bool { isPending(handle) }

    /// The pending timer's deadline (rounded up to the resolution), or `nil`.
    @inlinable
    public func deadline(of handle: TimerHandle) -> WheelInstant? {
        isPending(handle) ? instant(ofTick: nodes[Int(handle.index)].tick) : nil
    }

    /// Bytes of storage held: slab and payload capacity plus the bitmaps.
    public var storageBytes: Int {
        nodes.capacity * MemoryLayout<Node>.stride + payloads.capacity * MemoryLayout<Payload?>.stride
            + occupied.capacity * MemoryLayout<UInt64>.stride
    }

    /// Bytes per pending timer held by the slab alone (payload storage excluded).
    public var slabBytesPerTimer: Double {
        pending == 0 ? 0 : Double((nodes.capacity - sentinelCount) * MemoryLayout<Node>.stride) / Double(pending)
    }

    /// The earliest pending deadline, rounded up to the resolution, or `nil` when empty.
    /// - Complexity: O(levels); O(levels + k) for the k timers of the first occupied slot when
    ///   its cached minimum was cancelled away.
    @inlinable
    public var nextDeadline: WheelInstant? {
        guard let next = nextExpiration() else { return nil }
        if next.list < 64 { return instant(ofTick: next.tick) }
        return instant(ofTick: minimumTick(of: next.list))
    }

    // MARK: Scheduling

    /// Adds a timer. A deadline at or before `now` fires on the next `advance`.
    /// - Complexity: O(1) (amortized while the slab grows; O(1) in steady state).
    @inlinable
    @discardableResult
    public mutating func schedule(at deadline: WheelInstant, _ payload: Payload) -> TimerHandle {
        let index = allocateNode()
        let tick = max(ceilTick(deadline.nanoseconds), currentTick)
        nodes[Int(index)].tick = tick
        payloads[Int(index)] = payload
        link(index, into: list(forTick: tick))
        pending += 1
        return TimerHandle(index: index, generation: nodes[Int(index)].generation)
    }

    /// Removes a pending timer and returns its payload; `nil`, changing nothing, when the timer
    /// already fired or was cancelled.
    /// - Complexity: O(1).
    @inlinable
    public mutating func cancel(_ handle: TimerHandle) -> Payload? {
        guard isPending(handle) else { return nil }
        let index = handle.index
        unlink(index)
        let payload = payloads[Int(index)]
        releaseNode(index)
        pending -= 1
        return payload
    }

    /// Moves a pending timer to a new deadline, as if newly scheduled (it goes after timers
    /// already due in the same tick); `false`, changing nothing, when it is not pending.
    /// - Complexity: O(1).
    @inlinable
    @discardableResult
    public mutating func reschedule(_ handle: TimerHandle, to deadline: WheelInstant) -> Bool {
        guard isPending(handle) else { return false }
        let index = handle.index
        unlink(index)
        let tick = max(ceilTick(deadline.nanoseconds), currentTick)
        nodes[Int(index)].tick = tick
        link(index, into: list(forTick: tick))
        return true
    }

    /// Bulk load: schedules every timer of an unsorted sequence, reserving room once.
    /// - Returns: the handles, in the sequence's order.
    /// - Complexity: O(n).
    @inlinable
    public mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload) {
        let expected = timers.underestimatedCount
        nodes.reserveCapacity(nodes.count + expected)
        payloads.reserveCapacity(payloads.count + expected)
        var handles: [TimerHandle] = []
        handles.reserveCapacity(expected)
        for (deadline, payload) in timers { handles.append(schedule(at: deadline, payload)) }
        return handles
    }

    // MARK: Advancing

    /// Moves time to `now` and fires every timer due at or before it: in deadline order, equal
    /// deadlines first-in first-out. `fire` gets the wheel `inout`, so it may schedule, cancel
    /// and reschedule; a timer it schedules at or before `now` fires in this same call. A fired
    /// timer's handle is already stale when `fire` sees it. Moving to an earlier time, or calling
    /// `advance` from inside `fire`, does nothing.
    /// - Returns: how many timers fired.
    /// - Complexity: O(fired + cascaded + occupied slots passed), whatever the jump: empty slots
    ///   are skipped through the occupancy bitmaps.
    @inlinable
    @discardableResult
    public mutating func advance(to now: WheelInstant, fire: (inout DeadlineWheel, FiredTimer<Payload>) -> Void) -> Int {
        guard !isAdvancing else { return 0 }
        let target = floorTick(now.nanoseconds)
        guard target >= currentTick else { return 0 }
        isAdvancing = true
        defer { isAdvancing = false }
        var fired = 0
        while let next = nextExpiration(), next.tick <= target {
            currentTick = next.tick
            if next.list == overflowList {
                migrateOverflow()
            } else if next.list < 64 {
                // A level-0 slot: every timer in it is due now. Timers `fire` schedules for this
                // tick are appended to the same slot and fire in this loop, after the earlier ones.
                while nodes[Int(next.list)].next != next.list {
                    let index = nodes[Int(next.list)].next
                    unlink(index)
                    let payload = payloads[Int(index)]
                    let handle = TimerHandle(index: index, generation: nodes[Int(index)].generation)
                    releaseNode(index)
                    pending -= 1
                    guard let payload else { continue }
                    fired += 1
                    fire(&self, FiredTimer(handle: handle, deadline: instant(ofTick: currentTick), payload: payload))
                }
            } else {
                cascade(next.list)
            }
        }
        currentTick = target
        return fired
    }
}

extension DeadlineWheel: DeadlineScheduling {}
extension DeadlineWheel: Sendable where Payload: Sendable {}
extension DeadlineWheel.Node: Sendable {}

// MARK: - Internals

extension DeadlineWheel {
    @inlinable var overflowList: UInt32 { UInt32(levels * 64) }
    @inlinable var sentinelCount: Int { levels * 64 + 1 }

    @inlinable
    func floorTick(_ nanoseconds: Int64) -> Int64 {
        let quotient = nanoseconds / resolutionNanoseconds
        return nanoseconds % resolutionNanoseconds < 0 ? quotient - 1 : quotient
    }

    @inlinable
    func ceilTick(_ nanoseconds: Int64) -> Int64 {
        let quotient = nanoseconds / resolutionNanoseconds
        return nanoseconds % resolutionNanoseconds > 0 ? quotient + 1 : quotient
    }

    @inlinable
    func instant(ofTick tick: Int64) -> WheelInstant {
        let (product, overflow) = tick.multipliedReportingOverflow(by: resolutionNanoseconds)
        return WheelInstant(nanoseconds: overflow ? (tick < 0 ? .min : .max) : product)
    }

    @inlinable
    func isPending(_ handle: TimerHandle) -> Bool {
        let index = Int(handle.index)
        guard index >= sentinelCount, index < nodes.count else { return false }
        let node = nodes[index]
        return node.generation == handle.generation && node.list != Self.freeMark
    }

    /// The level at which a timer due at `tick` belongs: the 6-bit group of the highest bit in
    /// which it differs from now; `levels` or more means the overflow list.
    @inlinable
    func level(ofTick tick: Int64) -> Int {
        let masked = UInt64(bitPattern: tick ^ currentTick) | 63
        return (63 - masked.leadingZeroBitCount) / 6
    }

    /// The list (slot sentinel, or the overflow list) for a timer due at `tick` ≥ now.
    @inlinable
    func list(forTick tick: Int64) -> UInt32 {
        let level = level(ofTick: tick)
        guard level < levels else { return overflowList }
        let slot = Int((UInt64(bitPattern: tick) >> UInt64(6 * level)) & 63)
        return UInt32(level * 64 + slot)
    }

    @inlinable
    mutating func allocateNode() -> UInt32 {
        if freeHead != Self.noNode {
            let index = freeHead
            freeHead = nodes[Int(index)].next
            return index
        }
        if nodes.count == nodes.capacity {
            // Grow by half rather than double, to keep the slab near 24 bytes a timer.
            let capacity = nodes.count + nodes.count / 2 + 64
            nodes.reserveCapacity(capacity)
            payloads.reserveCapacity(capacity)
        }
        let index = UInt32(nodes.count)
        nodes.append(Node(prev: index, next: index, generation: 0, list: Self.freeMark, tick: 0))
        payloads.append(nil)
        return index
    }

    @inlinable
    mutating func releaseNode(_ index: UInt32) {
        nodes[Int(index)].generation &+= 1
        nodes[Int(index)].list = Self.freeMark
        nodes[Int(index)].next = freeHead
        payloads[Int(index)] = nil
        freeHead = index
    }

    /// Appends a node to the tail of a list and marks the slot occupied.
    @inlinable
    mutating func link(_ index: UInt32, into list: UInt32) {
        let tail = nodes[Int(list)].prev
        nodes[Int(index)].prev = tail
        nodes[Int(index)].next = list
        nodes[Int(index)].list = list
        nodes[Int(tail)].next = index
        nodes[Int(list)].prev = index
        if list < overflowList { occupied[Int(list >> 6)] |= 1 &<< UInt64(list & 63) }
        if tail == list {
            listMinimum[Int(list)] = nodes[Int(index)].tick
            minimumIsKnown[Int(list)] = true
        } else if minimumIsKnown[Int(list)] {
            listMinimum[Int(list)] = min(listMinimum[Int(list)], nodes[Int(index)].tick)
        }
    }

    /// Takes a node out of its list and clears the slot's bit when it empties.
    @inlinable
    mutating func unlink(_ index: UInt32) {
        let node = nodes[Int(index)]
        nodes[Int(node.prev)].next = node.next
        nodes[Int(node.next)].prev = node.prev
        if node.list < overflowList, nodes[Int(node.list)].next == node.list {
            occupied[Int(node.list >> 6)] &= ~(1 &<< UInt64(node.list & 63))
        }
        if node.tick == listMinimum[Int(node.list)] { minimumIsKnown[Int(node.list)] = false }
    }

    /// The next point in time at which the wheel has work, and the list to work on: the first
    /// occupied slot of the lowest occupied level (every timer at a higher level, and in the
    /// overflow list, is due after it), or the overflow list when the wheel is empty.
    /// - Complexity: O(levels).
    @inlinable
    func nextExpiration() -> (tick: Int64, list: UInt32)? {
        for level in 0..<levels {
            let bits = occupied[level]
            guard bits != 0 else { continue }
            let shift = 6 * level
            let position = Int((UInt64(bitPattern: currentTick) >> UInt64(shift)) & 63)
            let rotated = position == 0 ? bits : (bits >> UInt64(position)) | (bits << UInt64(64 - position))
            let slot = (position + rotated.trailingZeroBitCount) & 63
            let levelSpan = Int64(1) << Int64(shift + 6)
            // Wrapping arithmetic: near Int64.max a slot start may not be representable, and then
            // clamping to now below still yields the right (overdue) work.
            var start = (currentTick & ~(levelSpan - 1)) &+ (Int64(slot) &<< Int64(shift))
            if slot < position { start &+= levelSpan }
            return (max(start, currentTick), UInt32(level * 64 + slot))
        }
        guard nodes[Int(overflowList)].next != overflowList else { return nil }
        let topSpan = Int64(1) << Int64(6 * levels)
        return (max(minimumTick(of: overflowList) & ~(topSpan - 1), currentTick), overflowList)
    }

    /// The smallest tick in a list: the cached one, or a scan when it went stale.
    @inlinable
    func minimumTick(of list: UInt32) -> Int64 {
        if minimumIsKnown[Int(list)] { return listMinimum[Int(list)] }
        var best = Int64.max
        var index = nodes[Int(list)].next
        while index != list {
            best = min(best, nodes[Int(index)].tick)
            index = nodes[Int(index)].next
        }
        return best
    }

    /// Moves every timer of a higher-level slot whose time has come to a lower level, in order.
    @inlinable
    mutating func cascade(_ list: UInt32) {
        while nodes[Int(list)].next != list {
            let index = nodes[Int(list)].next
            unlink(index)
            link(index, into: self.list(forTick: nodes[Int(index)].tick))
        }
    }

    /// Moves the overflow timers that now fit into the wheel; keeps the rest, in order.
    @inlinable
    mutating func migrateOverflow() {
        var remaining = Int64.max
        var index = nodes[Int(overflowList)].next
        while index != overflowList {
            let next = nodes[Int(index)].next
            let tick = nodes[Int(index)].tick
            if level(ofTick: tick) < levels {
                unlink(index)
                link(index, into: list(forTick: tick))
            } else {
                remaining = min(remaining, tick)
            }
            index = next
        }
        listMinimum[Int(overflowList)] = remaining
        minimumIsKnown[Int(overflowList)] = true
    }
}
