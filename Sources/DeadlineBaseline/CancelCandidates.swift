public import DeadlineWheel

/// The handles of the timers a load workload may cancel (the benchmarks' mix and
/// `banjian-load wheel`): every timer it scheduled and has not yet cancelled. Timers that fired
/// stay listed until a cancel draws them: that cancel gets `nil` from the scheduler (a
/// stale-handle check, as when a reply races its deadline), drops the handle and draws again.
/// So no bookkeeping runs when a timer fires, and a cancel costs the workload one random read
/// of a handle, as when a service looks the handle up in its case record.
public struct CancelCandidates {
    @usableFromInline var handles: [TimerHandle] = []

    public init(capacity: Int) { handles.reserveCapacity(capacity) }

    @inlinable public var count: Int { handles.count }

    @inlinable
    public mutating func append(_ handle: TimerHandle) { handles.append(handle) }

    /// Cancels a random pending timer, if any is listed.
    /// - Returns: the cancelled payload (`nil` when none was pending), and how many listed
    ///   handles turned out stale on the way.
    @inlinable
    public mutating func cancelRandom<S: DeadlineScheduling>(
        in scheduler: inout S, _ random: inout SplitMix64
    ) -> (payload: S.Payload?, stale: Int) {
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
    @inlinable
    public mutating func dropFired<S: DeadlineScheduling>(in scheduler: S) {
        guard handles.count > 2 * scheduler.count + 1_024 else { return }
        handles.removeAll { !scheduler.contains($0) }
    }
}
