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
        func contains(_ handle: TimerHandle) -> Bool
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
    /// The handles of the timers the run may cancel: every timer it scheduled and has not yet
    /// cancelled. Timers that fired stay listed until a cancel draws them: that cancel gets `nil`
    /// from the scheduler (a stale-handle check, as when a reply races its deadline), drops the
    /// handle and draws again. So no bookkeeping runs when a timer fires, and a cancel costs the
    /// run one random read of a handle, as when a service looks it up in its case record.
    struct CancelCandidates {
        private(set) var handles: [TimerHandle] = []

        init(capacity: Int) { handles.reserveCapacity(capacity) }

        var count: Int { handles.count }

        @inline(__always)
        mutating func append(_ handle: TimerHandle) { handles.append(handle) }

        /// Cancels a random pending timer, if any is listed.
        /// - Returns: the cancelled payload, and how many listed handles turned out stale.
        @inline(__always)
        mutating func cancelRandom<S: Scheduler>(in scheduler: inout S, _ random: inout SplitMix64) -> (payload: UInt64?, stale: Int) {
            var stale = 0
            while !handles.isEmpty {
                let position = random.next(below: handles.count)
                let payload = scheduler.cancel(handles[position])
                handles.swapAt(position, handles.count - 1)
                handles.removeLast()
                if let payload { return (payload, stale) }
                stale += 1
            }
            return (nil, stale)
        }

        /// Drops the handles of timers no longer pending once they outnumber the pending ones, so
        /// the list stays within about twice the pending count when few timers are cancelled.
        @inline(__always)
        mutating func dropFired<S: Scheduler>(in scheduler: inout S) {
            guard handles.count > 2 * scheduler.count + 1_024 else { return }
            handles.removeAll { !scheduler.contains($0) }
        }
    }
}
