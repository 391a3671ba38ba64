import DeadlineBaseline
import DeadlineWheel

extension WheelLoad {
    /// One load run's settings; the same for both schedulers.
    struct Parameters: Sendable {
        var pending: Int
        var operations: Int
        var cancelRatio: Double
        var seed: UInt64
        var resolutionNanoseconds: Int64

        /// 2026-01-01T00:00:00Z.
        static let start = WheelInstant.seconds(1_767_225_600)
        /// New deadlines fall within this much of the scheduler's time (30 days).
        static let horizonNanoseconds: Int64 = 30 * 86_400 * 1_000_000_000
    }

    /// What one scheduler did in a run.
    struct Outcome: Sendable {
        var label: String
        var bulkLoad: Duration
        var operations: Duration
        var bytesAfterLoad: Int
        var bytesAtEnd: Int
        var fired: Int
        var cancelled: Int
        /// Cancel draws that hit a timer that had already fired (then drawn again).
        var staleDraws: Int
        var pendingAtEnd: Int
        /// An order-sensitive hash of every fired (payload, deadline), in firing order.
        var fireHash: UInt64
    }

    /// Bulk-loads `pending` timers, then runs `operations` rounds of: schedule a timer within
    /// 30 days of now; with probability `cancelRatio` cancel a random pending timer; whenever
    /// more than `pending` timers are pending, advance simulated time to the next deadline, so
    /// the timers not cancelled fire. Only the bulk load and the operations are timed. The
    /// random draws depend on the seed and on what the scheduler reports (counts, cancel
    /// results), so two schedulers with the same semantics see exactly the same run.
    static func run<S: Scheduler>(_: S.Type, _ parameters: Parameters) -> Outcome {
        let clock = ContinuousClock()
        var random = SplitMix64(seed: parameters.seed)
        let target = parameters.pending
        var candidates = CancelCandidates(capacity: 2 * target + 2_048)
        var scheduler = S(loadStart: Parameters.start, resolutionNanoseconds: parameters.resolutionNanoseconds, capacity: target + 1)

        var timers: [(WheelInstant, UInt64)] = []
        timers.reserveCapacity(target)
        for serial in 0..<target {
            timers.append((randomDeadline(after: Parameters.start, &random), UInt64(serial)))
        }
        let loadStarted = clock.now
        let handles = scheduler.scheduleAll(timers)
        let bulkLoad = loadStarted.duration(to: clock.now)
        timers = []
        for handle in handles { candidates.append(handle) }
        let bytesAfterLoad = scheduler.storageBytes

        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var fired = 0
        var cancelled = 0
        var staleDraws = 0
        let operationsStarted = clock.now
        for serial in target..<(target + parameters.operations) {
            let deadline = randomDeadline(after: scheduler.now, &random)
            candidates.append(scheduler.schedule(at: deadline, UInt64(serial)))
            if random.nextUnit() < parameters.cancelRatio {
                let (payload, stale) = candidates.cancelRandom(in: &scheduler, &random)
                if payload != nil { cancelled += 1 }
                staleDraws += stale
            }
            while scheduler.count > target, let next = scheduler.nextDeadline {
                fired += scheduler.advance(to: next) { _, timer in
                    hash = mix(hash ^ timer.payload)
                    hash = mix(hash ^ UInt64(bitPattern: timer.deadline.nanoseconds))
                }
            }
            candidates.dropFired(in: scheduler)
        }
        let operations = operationsStarted.duration(to: clock.now)

        return Outcome(
            label: S.label, bulkLoad: bulkLoad, operations: operations,
            bytesAfterLoad: bytesAfterLoad, bytesAtEnd: scheduler.storageBytes,
            fired: fired, cancelled: cancelled, staleDraws: staleDraws,
            pendingAtEnd: scheduler.count, fireHash: hash
        )
    }

    @inline(__always)
    static func randomDeadline(after now: WheelInstant, _ random: inout SplitMix64) -> WheelInstant {
        WheelInstant(nanoseconds: now.nanoseconds + 1_000_000_000 + Int64(random.next(below: Int(Parameters.horizonNanoseconds))))
    }

    /// SplitMix64's finalizer: a cheap, order-sensitive mix for the fire hash.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
