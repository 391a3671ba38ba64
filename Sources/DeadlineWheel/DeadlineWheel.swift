/// A hierarchical timing wheel (Varghese & Lauck) holding every pending deadline of a node.
///
/// Time is a count of ticks of `resolution` nanoseconds. Level `L` has 64 slots of 64^L ticks
/// each; a timer sits at the lowest level whose slot range separates its deadline from `now`,
/// in the slot its deadline falls in. When time reaches a higher-level slot, its timers cascade
/// down; a level-0 slot holds timers of exactly one tick and fires them. Timers beyond the top
/// level wait in an overflow list and move into the wheel when time comes near; none is lost.
/// With the defaults (1 s, 6 levels) the wheel spans 64^6 s, about 2,177 years.
///
/// Storage, laid out for the cache:
/// - **Nodes**: one contiguous array, one node per timer (payload, deadline, list, generation,
///   stamp), reused through a free list, so a wheel in steady state allocates nothing.
/// - **Slot lists**: each slot (and the overflow list) is a chain of 16-entry chunks of
///   `(node, stamp)` entries, in scheduling order, from a shared chunk pool. Appending writes
///   the slot's tail chunk, which stays in cache; cascading and firing read a slot's entries in
///   order and look their nodes up independently of each other, so the processor overlaps the
///   memory accesses instead of chasing pointers.
/// - **Lazy unlinking**: `cancel` and `reschedule` touch the timer's node alone (one cache miss,
///   as a heap with lazy deletion pays, and no write whose address depends on it) and leave the
///   old entry in its slot, *stale*: an entry counts only while its node is still in that list
///   with the same stamp. Stale entries are dropped when their slot is processed or read, and,
///   once they outnumber the pending timers (plus a little slack), by compacting the cancelled
///   timer's slot: O(1) amortized, and the lists hold about two entries a timer at most.
///
/// Handles carry the node's generation, so a stale handle never touches a timer that reused
/// its node. Deadlines are rounded up to the resolution: a timer never fires early, and at most
/// one tick late after `advance`. Timers due in the same tick fire first-in first-out (a
/// `reschedule` counts as a new schedule).
///
/// The wheel is a value type with no locks: one owner drives it (see `DeadlineDriver`).
public struct DeadlineWheel<Payload> {
    /// One timer, or a free node. The payload comes first so that small payloads pack with the
    /// narrow fields (32 bytes a node for an 8-byte payload).
    @usableFromInline
    struct Node {
        @usableFromInline var payload: Payload?
        /// The list (slot or overflow) holding the timer; `freeMark` when free.
        @usableFromInline var list: UInt16
        @usableFromInline var generation: UInt32
        /// Changes each time the node joins a list; the live entry carries the same stamp.
        @usableFromInline var stamp: UInt32
        /// The deadline; the next free node's index while free.
        @usableFromInline var tick: Int64

        @inlinable
        init(payload: Payload?, list: UInt16, generation: UInt32, stamp: UInt32, tick: Int64) {
            self.payload = payload
            self.list = list
            self.generation = generation
            self.stamp = stamp
            self.tick = tick
        }
    }

    /// A slot list's reference to a node; live while the node is in that list with this stamp.
    @usableFromInline
    struct Entry {
        @usableFromInline var node: UInt32
        @usableFromInline var stamp: UInt32

        @inlinable
        init(node: UInt32, stamp: UInt32) {
            self.node = node
            self.stamp = stamp
        }
    }

    /// A slot or the overflow list: its chunk chain and a cached minimum.
    @usableFromInline
    struct List {
        @usableFromInline var head: UInt32 = .max
        /// Entries already taken from the head chunk.
        @usableFromInline var headOffset: Int = 0
        @usableFromInline var tail: UInt32 = .max
        /// Entries used in the tail chunk.
        @usableFromInline var tailCount: Int = 0
        /// At most every live tick in the list, and exactly the smallest while `minimumEntry` is
        /// live: kept on every append, checked when read, found again by compaction when stale.
        @usableFromInline var minimum: Int64 = .max
        @usableFromInline var minimumEntry = Entry(node: .max, stamp: 0)

        @inlinable init() {}
    }

    @usableFromInline static var freeMark: UInt16 { .max }
    @usableFromInline static var noNode: UInt32 { .max }
    @usableFromInline static var noChunk: UInt32 { .max }
    /// Entries per chunk: 128 bytes, two cache lines.
    @usableFromInline static var chunkCapacity: Int { 16 }

    @usableFromInline var nodes: [Node]
    /// The chunk pool's entries: chunk `c` is `entries[c * chunkCapacity ..< (c + 1) * chunkCapacity]`.
    @usableFromInline var entries: [Entry]
    /// Per chunk: the next chunk of its chain, or of the free pool.
    @usableFromInline var chunkNext: [UInt32]
    @usableFromInline var freeChunk: UInt32
    /// Level `L` slot `s` at `L * 64 + s`, then the overflow list.
    @usableFromInline var lists: [List]
    /// One occupancy bitmap per level: bit `s` set when slot `s` holds a pending timer.
    @usableFromInline var occupied: [UInt64]
    @usableFromInline var freeNode: UInt32
    @usableFromInline var currentTick: Int64
    @usableFromInline var pending: Int
    /// Entries, over all lists, whose timer was cancelled or moved.
    @usableFromInline var staleEntries: Int
    @usableFromInline var isAdvancing: Bool
    @usableFromInline let levels: Int
    /// The tick, and the rounding to it.
    @usableFromInline let resolution: TickResolution
    /// Nanoseconds per tick.
    @inlinable public var resolutionNanoseconds: Int64 { resolution.nanoseconds }

    /// Creates an empty wheel.
    /// - Parameters:
    ///   - start: the wheel's current time.
    ///   - resolutionNanoseconds: the tick; values below 1 become 1.
    ///   - levels: 64-slot levels, clamped to 1...10; the span is 64^levels ticks, beyond which
    ///     timers wait in the overflow list.
    ///   - capacity: timers to reserve room for.
    public init(start: WheelInstant, resolutionNanoseconds: Int64 = 1_000_000_000, levels: Int = 6, capacity: Int = 0) {
        resolution = TickResolution(nanoseconds: resolutionNanoseconds)
        self.levels = min(max(1, levels), 10)
        let capacity = max(0, capacity)
        nodes = []
        nodes.reserveCapacity(capacity)
        // Room for every timer's entry, the stale entries compaction allows, and a partly
        // filled chunk per list.
        let chunks = (2 * capacity + Self.staleSlack) / Self.chunkCapacity + self.levels * 64 + 1
        entries = []
        entries.reserveCapacity(chunks * Self.chunkCapacity)
        chunkNext = []
        chunkNext.reserveCapacity(chunks)
        freeChunk = Self.noChunk
        lists = Array(repeating: List(), count: self.levels * 64 + 1)
        occupied = Array(repeating: 0, count: self.levels)
        freeNode = Self.noNode
        currentTick = 0
        pending = 0
        staleEntries = 0
        isAdvancing = false
        currentTick = resolution.tick(containing: start)
    }

    // MARK: Reading

    /// Pending timers.
    @inlinable public var count: Int { pending }
    @inlinable public var isEmpty: Bool { pending == 0 }
    /// The wheel's time: the last `advance` target, at the resolution.
    @inlinable public var now: WheelInstant { resolution.instant(ofTick: currentTick) }

    /// Whether the handle's timer is pending.
    @inlinable
    public func contains(_ handle: TimerHandle) -> Bool { isPending(handle) }

    /// The pending timer's deadline (rounded up to the resolution), or `nil`.
    @inlinable
    public func deadline(of handle: TimerHandle) -> WheelInstant? {
        isPending(handle) ? resolution.instant(ofTick: nodes[Int(handle.index)].tick) : nil
    }

    /// Bytes of storage held: node, chunk and list capacity plus the bitmaps.
    public var storageBytes: Int {
        nodes.capacity * MemoryLayout<Node>.stride + entries.capacity * MemoryLayout<Entry>.stride
            + chunkNext.capacity * MemoryLayout<UInt32>.stride + lists.capacity * MemoryLayout<List>.stride
            + occupied.capacity * MemoryLayout<UInt64>.stride
    }

    /// Storage bytes per pending timer, less the bytes each node spends on the payload itself:
    /// what the wheel costs a timer on top of what it carries.
    public var bytesPerTimerExcludingPayload: Double {
        pending == 0 ? 0 : Double(storageBytes - nodes.capacity * MemoryLayout<Payload?>.size) / Double(pending)
    }

    /// The earliest pending deadline, rounded up to the resolution, or `nil` when empty. Reading
    /// it drops the stale entries it meets on the way, so it is a mutating get.
    /// - Complexity: O(levels) amortized; O(levels + k) for the k entries of the first occupied
    ///   slot when its cached minimum was cancelled away (the scan compacts that slot).
    @inlinable
    public var nextDeadline: WheelInstant? {
        mutating get {
            while let next = nextExpiration() {
                let list = Int(next.list)
                if list < 64 {
                    // A level-0 slot holds one tick: it is the answer once a live entry heads it.
                    while let front = frontEntry(of: list), !isLive(front, in: list) {
                        _ = popFront(of: list)
                        staleEntries -= 1
                    }
                    if lists[list].head != Self.noChunk { return resolution.instant(ofTick: next.tick) }
                } else {
                    if !isLive(lists[list].minimumEntry, in: list) { compact(list) }
                    if lists[list].head != Self.noChunk { return resolution.instant(ofTick: lists[list].minimum) }
                }
            }
            return nil
        }
    }

    // MARK: Scheduling

    /// Adds a timer. A deadline at or before `now` fires on the next `advance`.
    /// - Complexity: O(1) (amortized while storage grows; O(1) in steady state).
    @inlinable
    @discardableResult
    public mutating func schedule(at deadline: WheelInstant, _ payload: Payload) -> TimerHandle {
        let index = allocateNode()
        let tick = dueTick(deadline)
        nodes[Int(index)].tick = tick
        nodes[Int(index)].payload = payload
        link(index, tick: tick, into: list(forTick: tick))
        pending += 1
        return TimerHandle(index: index, generation: nodes[Int(index)].generation)
    }

    /// Removes a pending timer and returns its payload; `nil`, changing nothing, when the timer
    /// already fired or was cancelled.
    /// - Complexity: O(1) amortized: the node alone, plus a share of the slot's compaction.
    @inlinable
    public mutating func cancel(_ handle: TimerHandle) -> Payload? {
        guard isPending(handle) else { return nil }
        let released = releaseNode(handle.index)
        pending -= 1
        enteredStale(released.list)
        return released.payload
    }

    /// Moves a pending timer to a new deadline, as if newly scheduled (it goes after timers
    /// already due in the same tick); `false`, changing nothing, when it is not pending.
    /// - Complexity: O(1) amortized.
    @inlinable
    @discardableResult
    public mutating func reschedule(_ handle: TimerHandle, to deadline: WheelInstant) -> Bool {
        guard isPending(handle) else { return false }
        let oldList = Int(nodes[Int(handle.index)].list)
        let tick = dueTick(deadline)
        link(handle.index, tick: tick, into: list(forTick: tick)) // a new stamp: the old entry goes stale
        enteredStale(oldList)
        return true
    }

    /// Bulk load: schedules every timer of an unsorted sequence, reserving room once.
    /// - Returns: the handles, in the sequence's order.
    /// - Complexity: O(n).
    @inlinable
    public mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload) {
        let expected = timers.underestimatedCount
        nodes.reserveCapacity(nodes.count + expected)
        entries.reserveCapacity(entries.count + 2 * expected)
        chunkNext.reserveCapacity(chunkNext.count + 2 * expected / Self.chunkCapacity)
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
    /// - Complexity: O(fired + cascaded + stale entries dropped + occupied slots passed),
    ///   whatever the jump: empty slots are skipped through the occupancy bitmaps.
    @inlinable
    @discardableResult
    public mutating func advance(to now: WheelInstant, fire: (inout DeadlineWheel, FiredTimer<Payload>) -> Void) -> Int {
        guard !isAdvancing else { return 0 }
        let target = resolution.tick(containing: now)
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
                // tick join the slot's tail and fire in this same loop, after the earlier ones.
                let list = Int(next.list)
                while let entry = popFront(of: list) {
                    guard isLive(entry, in: list) else {
                        staleEntries -= 1
                        continue
                    }
                    let generation = nodes[Int(entry.node)].generation
                    let released = releaseNode(entry.node)
                    pending -= 1
                    guard let payload = released.payload else { continue }
                    fired += 1
                    let handle = TimerHandle(index: entry.node, generation: generation)
                    fire(&self, FiredTimer(handle: handle, deadline: resolution.instant(ofTick: currentTick), payload: payload))
                }
            } else {
                cascade(Int(next.list))
            }
        }
        currentTick = target
        return fired
    }
}

extension DeadlineWheel: DeadlineScheduling {}
extension DeadlineWheel: Sendable where Payload: Sendable {}
extension DeadlineWheel.Node: Sendable where Payload: Sendable {}
extension DeadlineWheel.Entry: Sendable {}
extension DeadlineWheel.List: Sendable {}

// MARK: - Internals

extension DeadlineWheel {
    @inlinable var overflowList: UInt32 { UInt32(levels * 64) }

    /// The tick a timer is due at: its deadline rounded up, or now when that is in the past.
    @inlinable
    func dueTick(_ deadline: WheelInstant) -> Int64 { max(resolution.tick(atOrAfter: deadline), currentTick) }

    @inlinable
    func isPending(_ handle: TimerHandle) -> Bool {
        let index = Int(handle.index)
        guard index < nodes.count else { return false }
        let node = nodes[index]
        return node.generation == handle.generation && node.list != Self.freeMark
    }

    /// Whether an entry of `list` refers to a timer still pending there.
    @inlinable
    func isLive(_ entry: Entry, in list: Int) -> Bool {
        let node = nodes[Int(entry.node)]
        return Int(node.list) == list && node.stamp == entry.stamp
    }

    /// The level at which a timer due at `tick` belongs: the 6-bit group of the highest bit in
    /// which it differs from now; `levels` or more means the overflow list.
    @inlinable
    func level(ofTick tick: Int64) -> Int {
        let masked = UInt64(bitPattern: tick ^ currentTick) | 63
        return (63 - masked.leadingZeroBitCount) / 6
    }

    /// The list (slot, or the overflow list) for a timer due at `tick` ≥ now.
    @inlinable
    func list(forTick tick: Int64) -> Int {
        let level = level(ofTick: tick)
        guard level < levels else { return Int(overflowList) }
        return level * 64 + Int((UInt64(bitPattern: tick) >> UInt64(6 * level)) & 63)
    }

    // MARK: Nodes

    @inlinable
    mutating func allocateNode() -> UInt32 {
        if freeNode != Self.noNode {
            let index = freeNode
            freeNode = UInt32(truncatingIfNeeded: nodes[Int(index)].tick)
            return index
        }
        if nodes.count == nodes.capacity {
            // Grow by half rather than double, to keep the storage near what the timers need.
            nodes.reserveCapacity(nodes.count + nodes.count / 2 + 64)
        }
        // Generations start at 1: a zeroed handle is never valid.
        nodes.append(Node(payload: nil, list: Self.freeMark, generation: 1, stamp: 0, tick: 0))
        return UInt32(nodes.count - 1)
    }

    /// Frees a pending node (`index` must be one): its handle and entries go stale. Returns its
    /// payload, the list it was in and its tick.
    @inlinable @inline(__always)
    mutating func releaseNode(_ index: UInt32) -> (payload: Payload?, list: Int, tick: Int64) {
        let nextFree = Int64(freeNode)
        freeNode = index
        return nodes.withUnsafeMutableBufferPointer { nodes in
            let node = Int(index)
            let released = (nodes[node].payload.take(), Int(nodes[node].list), nodes[node].tick)
            nodes[node].generation &+= 1
            nodes[node].list = Self.freeMark
            nodes[node].tick = nextFree
            return released
        }
    }

    // MARK: Lists

    /// Puts a node into a list at `tick`: a fresh stamp (any older entry of the node goes stale)
    /// and an entry at the list's tail.
    @inlinable
    mutating func link(_ index: UInt32, tick: Int64, into list: Int) {
        let stamp = nodes.withUnsafeMutableBufferPointer { nodes in
            let node = Int(index)
            nodes[node].list = UInt16(truncatingIfNeeded: list)
            nodes[node].stamp &+= 1
            nodes[node].tick = tick
            return nodes[node].stamp
        }
        let entry = Entry(node: index, stamp: stamp)
        if lists[list].head == Self.noChunk {
            if list < Int(overflowList) { occupied[list >> 6] |= 1 &<< UInt64(list & 63) }
            lists[list].minimum = tick
            lists[list].minimumEntry = entry
        } else if tick < lists[list].minimum {
            lists[list].minimum = tick
            lists[list].minimumEntry = entry
        }
        append(entry, to: list)
    }

    /// Stale entries tolerated beyond the pending timers' count before compaction starts. Debug
    /// builds tolerate few, so that the tests' small wheels compact all the time.
    @usableFromInline static var staleSlack: Int {
        #if DEBUG
        return 8
        #else
        return 1_024
        #endif
    }

    /// Counts the entry a cancelled or moved timer left in `list`; once stale entries outnumber
    /// the pending timers (plus `staleSlack`), compacts that list. The cancels that fill a list
    /// with stale entries are the ones that pick it, so a compaction drops about as many entries
    /// as it keeps: two entries read per cancel, amortized.
    @inlinable @inline(__always)
    mutating func enteredStale(_ list: Int) {
        staleEntries &+= 1
        if staleEntries > pending &+ Self.staleSlack { compact(list) }
    }

    /// Appends an entry to a list's tail chunk, taking a new chunk when it is full.
    @inlinable
    mutating func append(_ entry: Entry, to list: Int) {
        if lists[list].tail == Self.noChunk {
            let chunk = allocateChunk()
            lists[list].head = chunk
            lists[list].headOffset = 0
            lists[list].tail = chunk
            lists[list].tailCount = 0
        } else if lists[list].tailCount == Self.chunkCapacity {
            let chunk = allocateChunk()
            chunkNext[Int(lists[list].tail)] = chunk
            lists[list].tail = chunk
            lists[list].tailCount = 0
        }
        entries[Int(lists[list].tail) * Self.chunkCapacity + lists[list].tailCount] = entry
        lists[list].tailCount += 1
    }

    @inlinable
    mutating func allocateChunk() -> UInt32 {
        if freeChunk != Self.noChunk {
            let chunk = freeChunk
            freeChunk = chunkNext[Int(chunk)]
            chunkNext[Int(chunk)] = Self.noChunk
            return chunk
        }
        // Grow by a quarter rather than double, to keep the pool near what the lists need.
        if chunkNext.count == chunkNext.capacity { chunkNext.reserveCapacity(chunkNext.count + chunkNext.count / 4 + 16) }
        if entries.count + Self.chunkCapacity > entries.capacity { entries.reserveCapacity(chunkNext.capacity * Self.chunkCapacity) }
        for _ in 0..<Self.chunkCapacity { entries.append(Entry(node: Self.noNode, stamp: 0)) }
        chunkNext.append(Self.noChunk)
        return UInt32(chunkNext.count - 1)
    }

    /// Returns the chunks `first` through `last` (linked) to the pool.
    @inlinable
    mutating func releaseChunks(from first: UInt32, through last: UInt32) {
        chunkNext[Int(last)] = freeChunk
        freeChunk = first
    }

    /// Empties a list: its chain goes back to the pool (O(1)) and its slot's bit clears.
    @inlinable
    mutating func releaseChain(of list: Int) {
        if lists[list].head != Self.noChunk { releaseChunks(from: lists[list].head, through: lists[list].tail) }
        lists[list] = List()
        if list < Int(overflowList) { occupied[list >> 6] &= ~(1 &<< UInt64(list & 63)) }
    }

    /// The list's first entry, if any.
    @inlinable
    func frontEntry(of list: Int) -> Entry? {
        let header = lists[list]
        guard header.head != Self.noChunk else { return nil }
        return entries[Int(header.head) * Self.chunkCapacity + header.headOffset]
    }

    /// Takes the list's first entry; a chunk returns to the pool once taken whole, and the list
    /// empties (its bit clears) with its last entry. Entries appended meanwhile come after.
    @inlinable
    mutating func popFront(of list: Int) -> Entry? {
        let header = lists[list]
        guard header.head != Self.noChunk else { return nil }
        let entry = entries[Int(header.head) * Self.chunkCapacity + header.headOffset]
        let used = header.head == header.tail ? header.tailCount : Self.chunkCapacity
        if header.headOffset + 1 < used {
            lists[list].headOffset += 1
        } else if header.head == header.tail {
            releaseChain(of: list)
        } else {
            lists[list].head = chunkNext[Int(header.head)]
            lists[list].headOffset = 0
            releaseChunks(from: header.head, through: header.head)
        }
        return entry
    }

    /// Drops a list's stale entries in place, keeping the live ones in order, returns the
    /// emptied chunks, and finds the list's minimum again; empties the list when none is live.
    /// - Complexity: O(entries in the list); the node reads are independent, so they overlap.
    @inlinable @inline(never)
    mutating func compact(_ list: Int) {
        let header = lists[list]
        guard header.head != Self.noChunk else { return }
        var minimum = Int64.max
        var minimumEntry = header.minimumEntry
        var read = header.head
        var readOffset = header.headOffset
        var write = read
        var written = readOffset
        var dropped = 0
        while read != Self.noChunk {
            let used = read == header.tail ? header.tailCount : Self.chunkCapacity
            while readOffset < used {
                let entry = entries[Int(read) * Self.chunkCapacity + readOffset]
                readOffset += 1
                guard isLive(entry, in: list) else {
                    dropped += 1
                    continue
                }
                let tick = nodes[Int(entry.node)].tick
                if tick < minimum {
                    minimum = tick
                    minimumEntry = entry
                }
                if written == Self.chunkCapacity {
                    write = chunkNext[Int(write)]
                    written = 0
                }
                entries[Int(write) * Self.chunkCapacity + written] = entry
                written += 1
            }
            read = read == header.tail ? Self.noChunk : chunkNext[Int(read)]
            readOffset = 0
        }
        staleEntries -= dropped
        if minimum == .max {
            releaseChain(of: list)
            return
        }
        if write != header.tail { releaseChunks(from: chunkNext[Int(write)], through: header.tail) }
        lists[list].tail = write
        lists[list].tailCount = written
        lists[list].minimum = minimum
        lists[list].minimumEntry = minimumEntry
    }

    /// The next point in time at which the wheel may have work, and the list to work on: the
    /// first occupied slot of the lowest occupied level (every timer at a higher level, and in
    /// the overflow list, is due after it), or the overflow list when the wheel is empty. The
    /// slot may hold only stale entries; processing it drops them.
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
        guard lists[Int(overflowList)].head != Self.noChunk else { return nil }
        // The cached minimum is a lower bound: at worst the overflow list is sorted early.
        let topSpan = Int64(1) << Int64(6 * levels)
        return (max(lists[Int(overflowList)].minimum & ~(topSpan - 1), currentTick), overflowList)
    }

    /// Moves every timer of a higher-level slot whose time has come to a lower level, in order.
    @inlinable
    mutating func cascade(_ list: Int) {
        while let entry = popFront(of: list) {
            guard isLive(entry, in: list) else {
                staleEntries -= 1
                continue
            }
            let tick = nodes[Int(entry.node)].tick
            link(entry.node, tick: tick, into: self.list(forTick: tick))
        }
    }

    /// Moves the overflow timers that now fit into the wheel; keeps the rest, in order.
    @inlinable
    mutating func migrateOverflow() {
        let list = Int(overflowList)
        let header = lists[list]
        lists[list] = List()
        guard header.head != Self.noChunk else { return }
        var chunk = header.head
        var offset = header.headOffset
        while chunk != Self.noChunk {
            let used = chunk == header.tail ? header.tailCount : Self.chunkCapacity
            while offset < used {
                let entry = entries[Int(chunk) * Self.chunkCapacity + offset]
                offset += 1
                guard isLive(entry, in: list) else {
                    staleEntries -= 1
                    continue
                }
                let tick = nodes[Int(entry.node)].tick
                link(entry.node, tick: tick, into: self.list(forTick: tick))
            }
            // Read whole, the chunk may serve the entries the loop appends.
            let read = chunk
            chunk = chunk == header.tail ? Self.noChunk : chunkNext[Int(chunk)]
            offset = 0
            releaseChunks(from: read, through: read)
        }
    }
}
