import DeadlineBaseline
import DeadlineWheel

/// Namespace for the `wheel` load run's parts.
enum WheelLoad {}

extension WheelLoad {
    /// What the load run needs of a scheduler beyond `DeadlineScheduling`: a way to make one,
    /// its time, and the bulk load both schedulers offer outside the protocol.
    protocol Scheduler: DeadlineScheduling where Payload == UInt64 {
        static var label: String { get }
        var now: WheelInstant { get }
        init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int)
        mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload)
    }
}

extension DeadlineWheel: WheelLoad.Scheduler where Payload == UInt64 {
    static var label: String { "wheel" }

    init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: resolutionNanoseconds, levels: 6, capacity: capacity)
    }
}

extension HeapDeadlineScheduler: WheelLoad.Scheduler where Payload == UInt64 {
    static var label: String { "heap" }

    init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: resolutionNanoseconds, capacity: capacity)
    }
}

extension WheelLoad {
    /// A tiny seeded generator (SplitMix64): the same seed gives both schedulers the same run.
    struct Random {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        @inline(__always)
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in `0..<bound` (multiply-shift; the bias is negligible for these bounds).
        @inline(__always)
        mutating func next(below bound: Int) -> Int {
            Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
        }

        /// A number in `0..<1` with 53 random bits.
        @inline(__always)
        mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
    }

    /// The run's own record of which timers are pending, so it can cancel a random pending one
    /// and forget the ones that fire: handles stored densely (random pick, swap-remove), found by
    /// the id carried in the payload's low 32 bits. Reserved up front.
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
}
