import DeadlineWheel

/// The workload's own record of which timers are pending, so it can cancel a random pending one
/// and forget the ones that fire: handles stored densely (random pick, swap-remove), found by
/// the id the scheduler carries as payload. Reserved up front: it does not allocate once full.
struct PendingTimers {
    private(set) var handles: [TimerHandle] = []
    /// `ids[i]` is the id of `handles[i]`.
    private var ids: [UInt32] = []
    /// `positions[id]` is where the timer of `id` sits in `handles`.
    private var positions: [UInt32] = []
    private var freeIDs: [UInt32] = []

    init(capacity: Int) {
        handles.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        freeIDs.reserveCapacity(capacity)
    }

    var count: Int { handles.count }

    /// An id for the next timer; pass it to `insert` with the timer's handle.
    @inline(__always)
    mutating func takeID() -> UInt32 {
        if let id = freeIDs.popLast() { return id }
        positions.append(0)
        return UInt32(positions.count - 1)
    }

    @inline(__always)
    mutating func insert(_ handle: TimerHandle, id: UInt32) {
        positions[Int(id)] = UInt32(handles.count)
        handles.append(handle)
        ids.append(id)
    }

    @inline(__always)
    mutating func remove(at position: Int) {
        let id = ids[position]
        let last = handles.count - 1
        if position != last {
            handles[position] = handles[last]
            ids[position] = ids[last]
            positions[Int(ids[position])] = UInt32(position)
        }
        handles.removeLast()
        ids.removeLast()
        freeIDs.append(id)
    }

    @inline(__always)
    mutating func remove(id: UInt32) { remove(at: Int(positions[Int(id)])) }
}
