public import DeadlineWheel
// Public because `@usableFromInline` storage (the heap) must name the type, and the hot paths
// are `@inlinable` so that the baseline is specialized for its payload like the wheel is.
public import HeapModule

/// The baseline the timing wheel is measured against: a swift-collections `Heap` of deadlines
/// with lazy deletion, with exactly the wheel's semantics.
///
/// Timers live in a slab of slots (payload, generation, sequence) reused through a free list; the
/// heap holds entries `(tick, sequence, slot)` ordered by `(tick, sequence)`, so timers due in the
/// same tick fire first-in first-out. Every schedule and reschedule takes a fresh sequence
/// number; an entry is *live* while its slot still carries its sequence. `cancel` and
/// `reschedule` leave the old entry in the heap, stale, to be skipped when it reaches the top;
/// when stale entries outnumber live ones (more than half the heap) they are compacted away in
/// O(n), so the heap never holds more than about twice the pending timers and each operation
/// pays O(1) amortized for it.
///
/// Invariant: after every mutating call returns (and whenever `fire` is running) the heap's top
/// entry is live, so `nextDeadline` (a get-only property, which cannot pop) is read off the top.
/// Only an operation that invalidates the top entry needs to purge: `purgeStaleTop()`.
///
/// Semantics shared with `DeadlineWheel`: deadlines round up to the resolution
/// (tick = ⌈ns / resolution⌉); a deadline at or before `now` counts as due at `now`'s tick;
/// `advance(to: t)` fires every timer whose tick ≤ ⌊t / resolution⌋; `reschedule` counts as a new
/// schedule for first-in first-out order; moving to an earlier tick, or advancing from inside
/// `fire`, does nothing; a timer `fire` schedules at or before the time being fired fires in the
/// same call.
public struct HeapDeadlineScheduler<Payload> {
    /// A heap entry; stale once its slot's sequence moved on.
    @usableFromInline
    struct Entry: Comparable {
        @usableFromInline var tick: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var slot: UInt32

        @inlinable
        init(tick: Int64, sequence: UInt64, slot: UInt32) {
            self.tick = tick
            self.sequence = sequence
            self.slot = slot
        }

        @inlinable
        static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.tick < rhs.tick || (lhs.tick == rhs.tick && lhs.sequence < rhs.sequence)
        }

        // Sequences are unique, so equal order keys mean the same entry.
        @inlinable
        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.tick == rhs.tick && lhs.sequence == rhs.sequence
        }
    }

    /// A timer's storage. `sequence` doubles as the pending flag: `freeSequence` when the slot is free.
    @usableFromInline
    struct Slot {
        /// The sequence of the slot's one live heap entry.
        @usableFromInline var sequence: UInt64
        @usableFromInline var generation: UInt32
        /// The next free slot, while free.
        @usableFromInline var nextFree: UInt32
        @usableFromInline var payload: Payload?

        @inlinable
        init(sequence: UInt64, generation: UInt32, nextFree: UInt32, payload: Payload?) {
            self.sequence = sequence
            self.generation = generation
            self.nextFree = nextFree
            self.payload = payload
        }
    }

    @usableFromInline static var freeSequence: UInt64 { .max }
    @usableFromInline static var noSlot: UInt32 { .max }

    @usableFromInline var heap: Heap<Entry>
    /// The heap storage capacity this scheduler reserved (`Heap` does not expose its own).
    @usableFromInline var heapCapacity: Int
    @usableFromInline var slots: ContiguousArray<Slot>
    @usableFromInline var freeHead: UInt32
    @usableFromInline var nextSequence: UInt64
    @usableFromInline var currentTick: Int64
    @usableFromInline var pending: Int
    /// Heap entries whose slot moved on; `heap.count == pending + staleEntries`.
    @usableFromInline var staleEntries: Int
    @usableFromInline var isAdvancing: Bool
    /// The tick, and the rounding to it.
    @usableFromInline let resolution: TickResolution
    /// Nanoseconds per tick.
    @inlinable public var resolutionNanoseconds: Int64 { resolution.nanoseconds }

    /// Creates an empty scheduler.
    /// - Parameters:
    ///   - start: the scheduler's current time.
    ///   - resolutionNanoseconds: the tick; values below 1 become 1.
    ///   - capacity: timers to reserve room for (slab, and twice as many heap entries for the
    ///     stale entries lazy deletion keeps), so that a scheduler holding up to `capacity`
    ///     timers does not allocate.
    /// - Complexity: O(1) allocations.
    public init(start: WheelInstant, resolutionNanoseconds: Int64 = 1_000_000_000, capacity: Int = 0) {
        resolution = TickResolution(nanoseconds: resolutionNanoseconds)
        let capacity = max(0, capacity)
        heap = Heap()
        heapCapacity = 0
        slots = []
        slots.reserveCapacity(capacity)
        freeHead = Self.noSlot
        nextSequence = 0
        currentTick = 0
        pending = 0
        staleEntries = 0
        isAdvancing = false
        currentTick = resolution.tick(containing: start)
        reserveHeap(Self.heapCapacity(forTimers: capacity))
    }

    // MARK: Reading

    /// Pending timers.
    @inlinable public var count: Int { pending }
    @inlinable public var isEmpty: Bool { pending == 0 }
    /// The scheduler's time: the last `advance` target, at the resolution.
    @inlinable public var now: WheelInstant { resolution.instant(ofTick: currentTick) }

    /// Whether the handle's timer is pending.
    /// - Complexity: O(1).
    @inlinable
    public func contains(_ handle: TimerHandle) -> Bool { slotIndex(of: handle) != nil }

    /// The earliest pending deadline, rounded up to the resolution, or `nil` when empty.
    /// - Complexity: O(1): the top entry is always live.
    @inlinable
    public var nextDeadline: WheelInstant? {
        heap.min.map { resolution.instant(ofTick: $0.tick) }
    }

    /// Bytes of storage held: heap and slab capacity times their strides.
    /// - Complexity: O(1).
    public var storageBytes: Int {
        heapCapacity * MemoryLayout<Entry>.stride + slots.capacity * MemoryLayout<Slot>.stride
    }

    // MARK: Scheduling

    /// Adds a timer. A deadline at or before `now` fires on the next `advance`.
    /// - Complexity: O(log n) (amortized while storage grows; no allocation in steady state).
    @inlinable
    @discardableResult
    public mutating func schedule(at deadline: WheelInstant, _ payload: Payload) -> TimerHandle {
        let index = allocateSlot()
        let sequence = takeSequence()
        slots[Int(index)].sequence = sequence
        slots[Int(index)].payload = payload
        push(Entry(tick: dueTick(deadline), sequence: sequence, slot: index))
        pending += 1
        return TimerHandle(index: index, generation: slots[Int(index)].generation)
    }

    /// Removes a pending timer and returns its payload; `nil`, changing nothing, when the timer
    /// already fired or was cancelled. Its heap entry goes stale.
    /// - Complexity: O(1) amortized (O(log n) when the timer was the earliest; the occasional
    ///   compaction is O(n), once per n stale entries).
    @inlinable
    public mutating func cancel(_ handle: TimerHandle) -> Payload? {
        guard let index = slotIndex(of: handle) else { return nil }
        let sequence = slots[index].sequence
        let payload = releaseSlot(index)
        pending -= 1
        entryWentStale(sequence: sequence)
        return payload
    }

    /// Moves a pending timer to a new deadline, as if newly scheduled (it goes after timers
    /// already due in the same tick); `false`, changing nothing, when it is not pending.
    /// - Complexity: O(log n) amortized, as `schedule` plus `cancel`.
    @inlinable
    @discardableResult
    public mutating func reschedule(_ handle: TimerHandle, to deadline: WheelInstant) -> Bool {
        guard let index = slotIndex(of: handle) else { return false }
        let old = slots[index].sequence
        let sequence = takeSequence()
        slots[index].sequence = sequence
        push(Entry(tick: dueTick(deadline), sequence: sequence, slot: UInt32(index)))
        entryWentStale(sequence: old)
        return true
    }

    /// Bulk load: schedules every timer of an unsorted sequence, building the heap once.
    /// - Returns: the handles, in the sequence's order.
    /// - Complexity: O(n + k) for k timers on n pending (Floyd's heap construction).
    @inlinable
    public mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload) {
        let expected = timers.underestimatedCount
        slots.reserveCapacity(slots.count + expected)
        let target = max(heapCapacity, Self.heapCapacity(forTimers: slots.count + expected))
        var entries: ContiguousArray<Entry> = []
        // Into an empty heap, `Heap(entries)` adopts this buffer: give it the final capacity.
        entries.reserveCapacity(heap.isEmpty ? target : expected)
        var handles: [TimerHandle] = []
        handles.reserveCapacity(expected)
        for (deadline, payload) in timers {
            let index = allocateSlot()
            let sequence = takeSequence()
            slots[Int(index)].sequence = sequence
            slots[Int(index)].payload = payload
            entries.append(Entry(tick: dueTick(deadline), sequence: sequence, slot: index))
            handles.append(TimerHandle(index: index, generation: slots[Int(index)].generation))
        }
        pending += entries.count
        if heap.isEmpty {
            heap = Heap(consume entries)
        } else {
            heap.reserveCapacity(target)
            heap.insert(contentsOf: entries)
        }
        // Whichever buffer the heap ended up with, make sure the capacity accounted for is there.
        heapCapacity = 0
        reserveHeap(max(target, Self.heapCapacity(forTimers: slots.count)))
        return handles
    }

    // MARK: Advancing

    /// Moves time to `now` and fires every timer due at or before it: in deadline order, equal
    /// deadlines first-in first-out. `fire` gets the scheduler `inout`, so it may schedule,
    /// cancel and reschedule; a timer it schedules at or before the time being fired fires in
    /// this same call. A fired timer's handle is already stale when `fire` sees it. Moving to an
    /// earlier time, or calling `advance` from inside `fire`, does nothing.
    /// - Returns: how many timers fired.
    /// - Complexity: O((fired + stale skipped) × log n).
    @inlinable
    @discardableResult
    public mutating func advance(to now: WheelInstant, fire: (inout HeapDeadlineScheduler, FiredTimer<Payload>) -> Void) -> Int {
        guard !isAdvancing else { return 0 }
        let target = resolution.tick(containing: now)
        guard target >= currentTick else { return 0 }
        isAdvancing = true
        defer { isAdvancing = false }
        var fired = 0
        while let top = heap.min, top.tick <= target {
            heap.removeMin()
            let index = Int(top.slot)
            guard slots[index].sequence == top.sequence else {
                staleEntries -= 1
                continue
            }
            currentTick = top.tick
            let handle = TimerHandle(index: top.slot, generation: slots[index].generation)
            let payload = releaseSlot(index)
            pending -= 1
            purgeStaleTop()
            guard let payload else { continue }
            fired += 1
            fire(&self, FiredTimer(handle: handle, deadline: resolution.instant(ofTick: top.tick), payload: payload))
        }
        currentTick = target
        purgeStaleTop()
        return fired
    }
}

extension HeapDeadlineScheduler: DeadlineScheduling {}
extension HeapDeadlineScheduler: Sendable where Payload: Sendable {}
extension HeapDeadlineScheduler.Entry: Sendable {}
extension HeapDeadlineScheduler.Slot: Sendable where Payload: Sendable {}

// MARK: - Internals

extension HeapDeadlineScheduler {
    /// Heap entries to reserve for `timers` pending: lazy deletion keeps up to one stale entry
    /// per live one before compacting.
    @usableFromInline
    static func heapCapacity(forTimers timers: Int) -> Int { timers == 0 ? 0 : 2 * timers + 2 }

    /// The tick a timer is due at: its deadline rounded up, or now when that is in the past.
    @inlinable
    func dueTick(_ deadline: WheelInstant) -> Int64 { max(resolution.tick(atOrAfter: deadline), currentTick) }

    /// The slot of a pending timer's handle, or `nil` when the handle is stale or foreign.
    @inlinable
    func slotIndex(of handle: TimerHandle) -> Int? {
        let index = Int(handle.index)
        guard index < slots.count else { return nil }
        let slot = slots[index]
        guard slot.generation == handle.generation, slot.sequence != Self.freeSequence else { return nil }
        return index
    }

    @inlinable
    mutating func takeSequence() -> UInt64 {
        let sequence = nextSequence
        nextSequence &+= 1
        return sequence
    }

    @inlinable
    mutating func allocateSlot() -> UInt32 {
        if freeHead != Self.noSlot {
            let index = freeHead
            freeHead = slots[Int(index)].nextFree
            return index
        }
        if slots.count == slots.capacity {
            slots.reserveCapacity(slots.count + slots.count / 2 + 64)
        }
        let index = UInt32(slots.count)
        slots.append(Slot(sequence: Self.freeSequence, generation: 0, nextFree: Self.noSlot, payload: nil))
        return index
    }

    /// Frees a pending slot: the payload is handed back and the generation moves on, so old
    /// handles and the slot's heap entry are stale from now on.
    @inlinable
    mutating func releaseSlot(_ index: Int) -> Payload? {
        let payload = slots[index].payload
        slots[index].payload = nil
        slots[index].sequence = Self.freeSequence
        slots[index].generation &+= 1
        slots[index].nextFree = freeHead
        freeHead = UInt32(index)
        return payload
    }

    @inlinable
    mutating func push(_ entry: Entry) {
        if heap.count >= heapCapacity {
            reserveHeap(max(64, heapCapacity * 2))
        }
        heap.insert(entry)
    }

    @usableFromInline
    mutating func reserveHeap(_ capacity: Int) {
        guard capacity > heapCapacity else { return }
        heap.reserveCapacity(capacity)
        heapCapacity = capacity
    }

    /// Accounts for the entry of `sequence` going stale: purges it if it was the top (keeping
    /// the top live), and compacts once stale entries are more than half the heap.
    @inlinable
    mutating func entryWentStale(sequence: UInt64) {
        staleEntries += 1
        if staleEntries > pending {
            compact()
        } else if heap.min?.sequence == sequence {
            purgeStaleTop()
        }
    }

    /// Pops stale entries off the top until the top is live or the heap is empty. Called at the
    /// end of every operation that may have made the top stale, so the top is always live.
    /// - Complexity: O(k log n) for k stale entries popped.
    @inlinable
    mutating func purgeStaleTop() {
        while let top = heap.min, slots[Int(top.slot)].sequence != top.sequence {
            heap.removeMin()
            staleEntries -= 1
        }
    }

    /// Drops every stale entry and rebuilds the heap in place. Each entry's liveness is a probe
    /// into the slab at a random place, so at a million timers this takes ~0.1 s; it happens
    /// once per pending-count stale entries.
    /// - Complexity: O(n).
    @inlinable
    mutating func compact() {
        let slots = self.slots
        heap.removeAll { slots[Int($0.slot)].sequence != $0.sequence }
        staleEntries = 0
    }

    /// Checks the bookkeeping against the storage; for tests, after every mutation.
    /// - Complexity: O(n).
    func checkInvariants() {
        let entries = heap.unordered
        precondition(entries.count == pending + staleEntries, "heap count \(entries.count) ≠ pending \(pending) + stale \(staleEntries)")
        precondition(heapCapacity >= entries.count, "heap outgrew its accounted capacity")
        var live = 0
        for entry in entries where slots[Int(entry.slot)].sequence == entry.sequence {
            live += 1
            precondition(slots[Int(entry.slot)].payload != nil, "live entry of a slot without payload")
            precondition(entry.tick >= currentTick || isAdvancing, "live entry due before now")
        }
        precondition(live == pending, "live entries \(live) ≠ pending \(pending)")
        let occupied = slots.count { $0.sequence != Self.freeSequence }
        precondition(occupied == pending, "occupied slots \(occupied) ≠ pending \(pending)")
        var free = 0
        var index = freeHead
        while index != Self.noSlot {
            precondition(slots[Int(index)].sequence == Self.freeSequence, "busy slot on the free list")
            free += 1
            precondition(free <= slots.count, "free list cycles")
            index = slots[Int(index)].nextFree
        }
        precondition(free + pending == slots.count, "free \(free) + pending \(pending) ≠ slots \(slots.count)")
        if let top = heap.min {
            precondition(slots[Int(top.slot)].sequence == top.sequence, "stale top")
        }
    }
}
