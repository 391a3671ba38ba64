import Benchmark
import DeadlineBaseline
import DeadlineWheel

// Wheel vs heap. Each workload is written once, generic over `BenchScheduler`, and registered
// for both schedulers at each size; the size is in the name (`Wheel.cancel 1M pending`).
//
// Deadlines are uniform over the next 30 days at 1 s resolution. Everything heavy (bulk loading
// the pending timers, choosing victims, drawing deadlines) happens in setup or outside
// `startMeasurement()`/`stopMeasurement()`; capacity is reserved in setup, so a steady-state
// operation that allocates shows up in `mallocCountTotal`. Each benchmark runs in its own
// process, so `peakMemoryResident` is that scheduler at that size (plus the workload's arrays).

/// 2026-01-01T00:00:00Z.
let benchmarkStart = WheelInstant.seconds(1_767_225_600)
let second: Int64 = 1_000_000_000
let horizon: Int64 = 30 * 86_400 * second

/// A pending-timer count the workloads run at.
struct PendingSize {
    let pending: Int
    let label: String
    /// Upper bound on iterations of the slow (per-iteration O(pending)) workloads.
    let bulkIterations: Int
    let fireIterations: Int
    let maxDuration: Duration
}

let pendingSizes = [
    PendingSize(pending: 10_000, label: "10k", bulkIterations: 1_000, fireIterations: 20, maxDuration: .seconds(2)),
    PendingSize(pending: 1_000_000, label: "1M", bulkIterations: 10, fireIterations: 8, maxDuration: .seconds(3)),
    PendingSize(pending: 10_000_000, label: "10M", bulkIterations: 3, fireIterations: 3, maxDuration: .seconds(3)),
]

/// Operations per iteration of the steady-state workloads (`scalingFactor: .kilo`).
let batch = 1_000
/// Timers fired per iteration of the advance workload (`scalingFactor: .mega`).
let firedPerIteration = 1_000_000
/// The share of timers the mix cancels before they are due, in thousandths.
let mixCancelPermille = 950

let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput]

func schedulerBenchmarks() {
    for size in pendingSizes {
        registerSchedulerBenchmarks(DeadlineWheel<UInt64>.self, size: size)
        registerSchedulerBenchmarks(HeapDeadlineScheduler<UInt64>.self, size: size)
    }
}

/// A random deadline within the horizon, at least one second after `now`.
@inline(__always)
func randomDeadline(after now: WheelInstant, _ random: inout SplitMix64) -> WheelInstant {
    WheelInstant(nanoseconds: now.nanoseconds + second + Int64(random.next(below: Int(horizon))))
}

/// The loaded scheduler and the workload's state, built in a benchmark's setup.
final class Fixture<S: BenchScheduler> {
    var scheduler: S
    var random: SplitMix64
    /// The handles of the pending timers, in load order (schedule and cancel workloads).
    var ring: [TimerHandle]
    /// The handles the mix may cancel.
    var candidates: CancelCandidates
    /// Scratch, `batch` long: victims' ring positions and handles, new deadlines and handles.
    var positions: [Int]
    var victims: [TimerHandle]
    var deadlines: [WheelInstant]
    var fresh: [TimerHandle]

    /// Bulk-loads `size.pending` timers, payload = id, with room for `batch` more.
    init(size: PendingSize, seed: UInt64, listsCandidates: Bool) {
        random = SplitMix64(seed: seed)
        scheduler = S(benchmarkStart: benchmarkStart, capacity: size.pending + batch)
        var timers: [(WheelInstant, UInt64)] = []
        timers.reserveCapacity(size.pending)
        for id in 0..<size.pending {
            timers.append((randomDeadline(after: benchmarkStart, &random), UInt64(id)))
        }
        ring = scheduler.scheduleAll(timers)
        candidates = CancelCandidates(capacity: listsCandidates ? 2 * size.pending + 4 * batch : 0)
        if listsCandidates {
            for handle in ring { candidates.append(handle) }
            ring = []
        }
        positions = Array(repeating: 0, count: batch)
        deadlines = Array(repeating: benchmarkStart, count: batch)
        victims = Array(repeating: TimerHandle(index: 0, generation: 0), count: batch)
        fresh = victims
    }

    /// Draws `batch` distinct ring positions (a random start, then a stride coprime to the ring's
    /// length, so victims are spread over the storage) with their handles, and `batch` new
    /// deadlines: the measured loops then read only these short arrays and the scheduler.
    func drawVictimsAndDeadlines() {
        let count = ring.count
        let start = random.next(below: count)
        // 2 654 435 761 is prime and not a factor of any ring length used here.
        let stride = 2_654_435_761 % count
        for k in 0..<batch {
            positions[k] = (start + k * stride) % count
            victims[k] = ring[positions[k]]
            deadlines[k] = randomDeadline(after: benchmarkStart, &random)
        }
    }

    /// The new timers take the victims' places in the ring.
    func replaceVictims() {
        for k in 0..<batch { ring[positions[k]] = fresh[k] }
    }
}

/// Holds a benchmark's fixture between its setup and its iterations.
final class FixtureBox<S: BenchScheduler> {
    var fixture: Fixture<S>?
}

// MARK: - Workloads (inout parameters: no class access inside the measured loops)

@inline(never)
func scheduleBatch<S: BenchScheduler>(_ scheduler: inout S, deadlines: [WheelInstant], into handles: inout [TimerHandle]) {
    for k in 0..<deadlines.count {
        handles[k] = scheduler.schedule(at: deadlines[k], UInt64(k))
    }
}

@inline(never)
func cancelBatch<S: BenchScheduler>(_ scheduler: inout S, _ handles: [TimerHandle]) -> UInt64 {
    var sum: UInt64 = 0
    for handle in handles {
        sum &+= scheduler.cancel(handle) ?? 0
    }
    return sum
}

/// `operations` rounds of: schedule a timer; with the mix's probability cancel a random pending
/// one; whenever more than `target` are pending, advance time to the next deadline (the timers
/// that were not cancelled fire there).
/// - Returns: how many fired.
@inline(never)
func mixBatch<S: BenchScheduler>(
    _ scheduler: inout S, _ candidates: inout CancelCandidates, _ random: inout SplitMix64,
    target: Int, operations: Int
) -> Int {
    var fired = 0
    for operation in 0..<operations {
        candidates.append(scheduler.schedule(at: randomDeadline(after: scheduler.now, &random), UInt64(operation)))
        if random.next(below: 1_000) < mixCancelPermille {
            _ = candidates.cancelRandom(in: &scheduler, &random)
        }
        while scheduler.count > target, let next = scheduler.nextDeadline {
            fired += scheduler.advance(to: next) { _, _ in }
        }
    }
    return fired
}

/// Fires `count` timers (or a few more: the last tick fires whole), driving time from deadline
/// to deadline as a service sleeping until the next one would; each fired timer schedules its
/// replacement, so the pending count stays where it was.
@inline(never)
func fireBatch<S: BenchScheduler>(_ scheduler: inout S, _ random: inout SplitMix64, count: Int) -> Int {
    var fired = 0
    while fired < count, let next = scheduler.nextDeadline {
        fired += scheduler.advance(to: next) { scheduler, timer in
            _ = scheduler.schedule(at: randomDeadline(after: timer.deadline, &random), timer.payload)
        }
    }
    return fired
}

/// Fires `count` timers (or a few more) moving time one second at a time, as a driver ticking
/// every second would: no `nextDeadline`, so this is the advancing alone. Each fired timer
/// schedules its replacement.
@inline(never)
func fireBatchTicking<S: BenchScheduler>(_ scheduler: inout S, _ random: inout SplitMix64, count: Int) -> Int {
    var fired = 0
    var now = scheduler.now
    while fired < count, !scheduler.isEmpty {
        now = WheelInstant(nanoseconds: now.nanoseconds + second)
        fired += scheduler.advance(to: now) { scheduler, timer in
            _ = scheduler.schedule(at: randomDeadline(after: timer.deadline, &random), timer.payload)
        }
    }
    return fired
}

// MARK: - Registration

func registerSchedulerBenchmarks<S: BenchScheduler>(_: S.Type, size: PendingSize) {
    let name = { (workload: String) in "\(S.label).\(workload) \(size.label) pending" }
    let steady = Benchmark.Configuration(
        metrics: metrics, scalingFactor: .kilo, maxDuration: size.maxDuration, maxIterations: 100_000
    )

    // Schedule: `batch` random pending timers are cancelled outside the measurement, then
    // `batch` new ones are scheduled inside it (reusing the freed storage).
    let scheduleBox = FixtureBox<S>()
    Benchmark(
        name("schedule"), configuration: steady,
        closure: { benchmark in
            guard let fixture = scheduleBox.fixture else { return }
            fixture.drawVictimsAndDeadlines()
            blackHole(cancelBatch(&fixture.scheduler, fixture.victims))
            benchmark.startMeasurement()
            scheduleBatch(&fixture.scheduler, deadlines: fixture.deadlines, into: &fixture.fresh)
            benchmark.stopMeasurement()
            fixture.replaceVictims()
        },
        setup: { scheduleBox.fixture = Fixture(size: size, seed: 1, listsCandidates: false) },
        teardown: { scheduleBox.fixture = nil }
    )

    // Cancel: `batch` new timers are scheduled outside the measurement, then `batch` random
    // pending ones are cancelled inside it; the new ones take the victims' places.
    let cancelBox = FixtureBox<S>()
    Benchmark(
        name("cancel"), configuration: steady,
        closure: { benchmark in
            guard let fixture = cancelBox.fixture else { return }
            fixture.drawVictimsAndDeadlines()
            scheduleBatch(&fixture.scheduler, deadlines: fixture.deadlines, into: &fixture.fresh)
            benchmark.startMeasurement()
            let sum = cancelBatch(&fixture.scheduler, fixture.victims)
            benchmark.stopMeasurement()
            blackHole(sum)
            fixture.replaceVictims()
        },
        setup: { cancelBox.fixture = Fixture(size: size, seed: 2, listsCandidates: false) },
        teardown: { cancelBox.fixture = nil }
    )

    // The cancel-heavy mix: each operation schedules a timer and cancels a random pending one
    // 95 % of the time; time advances to keep `pending` timers, so the other 5 % fire.
    let mixBox = FixtureBox<S>()
    Benchmark(
        name("mix cancel95"), configuration: steady,
        closure: { benchmark in
            guard let fixture = mixBox.fixture else { return }
            benchmark.startMeasurement()
            let fired = mixBatch(&fixture.scheduler, &fixture.candidates, &fixture.random, target: size.pending, operations: batch)
            benchmark.stopMeasurement()
            blackHole(fired)
            fixture.candidates.dropFired(in: fixture.scheduler)
        },
        setup: { mixBox.fixture = Fixture(size: size, seed: 3, listsCandidates: true) },
        teardown: { mixBox.fixture = nil }
    )

    // Advance: fire one million timers at `pending` pending, each replaced as it fires; once
    // jumping to `nextDeadline`, once ticking one second at a time (at 10k pending a million
    // fires would take 3,000 simulated days of ticks, so that one from 1M up only).
    func registerFiring(_ workload: String, _ fireMillion: @escaping (inout S, inout SplitMix64, Int) -> Int) {
        let box = FixtureBox<S>()
        Benchmark(
            name(workload),
            configuration: .init(
                metrics: metrics, warmupIterations: 0, scalingFactor: .mega,
                maxDuration: .seconds(8), maxIterations: size.fireIterations
            ),
            closure: { benchmark in
                guard let fixture = box.fixture else { return }
                benchmark.startMeasurement()
                let fired = fireMillion(&fixture.scheduler, &fixture.random, firedPerIteration)
                benchmark.stopMeasurement()
                blackHole(fired)
            },
            setup: { box.fixture = Fixture(size: size, seed: 4, listsCandidates: false) },
            teardown: { box.fixture = nil }
        )
    }
    registerFiring("advance fire 1M") { fireBatch(&$0, &$1, count: $2) }
    if size.pending >= 1_000_000 {
        registerFiring("advance 1s ticks fire 1M") { fireBatchTicking(&$0, &$1, count: $2) }
    }

    // Bulk load: `scheduleAll` of `pending` unsorted timers into an empty scheduler.
    let timersBox = TimersBox()
    Benchmark(
        name("bulk load"),
        configuration: .init(
            metrics: metrics, warmupIterations: 0, scalingFactor: .one,
            maxDuration: .seconds(8), maxIterations: size.bulkIterations
        ),
        closure: { benchmark in
            var scheduler = S(benchmarkStart: benchmarkStart, capacity: 0)
            benchmark.startMeasurement()
            let handles = scheduler.scheduleAll(timersBox.timers)
            benchmark.stopMeasurement()
            blackHole(handles.count)
            blackHole(scheduler.count)
        },
        setup: {
            var random = SplitMix64(seed: 5)
            timersBox.timers = (0..<size.pending).map { id in (randomDeadline(after: benchmarkStart, &random), UInt64(id)) }
        },
        teardown: { timersBox.timers = [] }
    )
}

/// Holds the bulk-load input between setup and the iterations.
final class TimersBox {
    var timers: [(WheelInstant, UInt64)] = []
}
