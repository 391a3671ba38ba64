import DeadlineBaseline
import DeadlineWheel

/// The handles of the timers a workload may cancel: every timer it scheduled and has not yet
/// cancelled. Timers that fired stay listed until a cancel draws them: that cancel gets `nil`
/// from the scheduler (a stale-handle check, as when a reply races its deadline), drops the handle
/// and draws again. So no bookkeeping runs when a timer fires, and a cancel costs the workload
/// one random read of a handle, as when a service looks the handle up in its case record.
/// With 95 % of timers cancelled, about 5 % of the list is fired handles.
struct CancelCandidates {
    private(set) var handles: [TimerHandle] = []

    init(capacity: Int) { handles.reserveCapacity(capacity) }

    var count: Int { handles.count }

    @inline(__always)
    mutating func append(_ handle: TimerHandle) { handles.append(handle) }

    /// Cancels a random pending timer (if any is listed) and returns whether one was found.
    @inline(__always)
    mutating func cancelRandom<S: DeadlineScheduling>(in scheduler: inout S, _ random: inout SplitMix64) -> Bool {
        while !handles.isEmpty {
            let position = random.next(below: handles.count)
            let found = scheduler.cancel(handles[position]) != nil
            handles.swapAt(position, handles.count - 1)
            handles.removeLast()
            if found { return true }
        }
        return false
    }

    /// Drops the handles of timers no longer pending, once they are more than the pending ones.
    mutating func dropFired<S: BenchScheduler>(in scheduler: S) {
        guard handles.count > 2 * scheduler.count + 1_024 else { return }
        handles.removeAll { !scheduler.contains($0) }
    }
}
