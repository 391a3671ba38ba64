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
    /// The pending timers, by id (mix workload).
    var pending: PendingTimers
    /// Scratch, `batch` long: victims' ring positions, new deadlines, handles scheduled ahead.
    var positions: [Int]
    var deadlines: [WheelInstant]
    var fresh: [TimerHandle]

    /// Bulk-loads `size.pending` timers, payload = id, with room for `batch` more.
    init(size: PendingSize, seed: UInt64, tracking: Bool) {
        random = SplitMix64(seed: seed)
        scheduler = S(benchmarkStart: benchmarkStart, capacity: size.pending + batch)
        var timers: [(WheelInstant, UInt64)] = []
        timers.reserveCapacity(size.pending)
        for id in 0..<size.pending {
            timers.append((randomDeadline(after: benchmarkStart, &random), UInt64(id)))
        }
        ring = scheduler.scheduleAll(timers)
        pending = PendingTimers(capacity: tracking ? size.pending + batch : 0)
        if tracking {
            for handle in ring { pending.insert(handle, id: pending.takeID()) }
            ring = []
        }
        positions = Array(repeating: 0, count: batch)
        deadlines = Array(repeating: benchmarkStart, count: batch)
        fresh = Array(repeating: TimerHandle(index: 0, generation: 0), count: batch)
    }

    /// Draws `batch` distinct ring positions (a random start, then a stride coprime to the ring's
    /// length, so victims are spread over the slab) and `batch` new deadlines.
    func drawVictimsAndDeadlines() {
        let count = ring.count
        let start = random.next(below: count)
        // 2 654 435 761 is prime and not a factor of any ring length used here.
        let stride = 2_654_435_761 % count
        for k in 0..<batch {
            positions[k] = (start + k * stride) % count
            deadlines[k] = randomDeadline(after: benchmarkStart, &random)
        }
    }
}

/// Holds a benchmark's fixture between its setup and its iterations.
final class FixtureBox<S: BenchScheduler> {
    var fixture: Fixture<S>?
}

// MARK: - Workloads (inout parameters: no class access inside the measured loops)

@inline(never)
func scheduleBatch<S: BenchScheduler>(_ scheduler: inout S, _ ring: inout [TimerHandle], positions: [Int], deadlines: [WheelInstant]) {
    for k in 0..<positions.count {
        ring[positions[k]] = scheduler.schedule(at: deadlines[k], UInt64(k))
    }
}

@inline(never)
func cancelBatch<S: BenchScheduler>(_ scheduler: inout S, _ ring: [TimerHandle], positions: [Int]) -> UInt64 {
    var sum: UInt64 = 0
    for k in 0..<positions.count {
        sum &+= scheduler.cancel(ring[positions[k]]) ?? 0
    }
    return sum
}

/// `operations` rounds of: schedule a timer; with the mix's probability cancel a random pending
/// one; whenever more than `target` are pending, advance time to the next deadline (the timers
/// that were not cancelled fire there).
/// - Returns: how many fired.
@inline(never)
func mixBatch<S: BenchScheduler>(
    _ scheduler: inout S, _ pending: inout PendingTimers, _ random: inout SplitMix64,
    target: Int, operations: Int
) -> Int {
    var fired = 0
    for _ in 0..<operations {
        let id = pending.takeID()
        let handle = scheduler.schedule(at: randomDeadline(after: scheduler.now, &random), UInt64(id))
        pending.insert(handle, id: id)
        if random.next(below: 1_000) < mixCancelPermille {
            let victim = random.next(below: pending.count)
            _ = scheduler.cancel(pending.handles[victim])
            pending.remove(at: victim)
        }
        while scheduler.count > target, let next = scheduler.nextDeadline {
            fired += scheduler.advance(to: next) { _, timer in
                pending.remove(id: UInt32(truncatingIfNeeded: timer.payload))
            }
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
            _ = cancelBatch(&fixture.scheduler, fixture.ring, positions: fixture.positions)
            benchmark.startMeasurement()
            scheduleBatch(&fixture.scheduler, &fixture.ring, positions: fixture.positions, deadlines: fixture.deadlines)
            benchmark.stopMeasurement()
            blackHole(fixture.scheduler.count)
        },
        setup: { scheduleBox.fixture = Fixture(size: size, seed: 1, tracking: false) },
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
            for k in 0..<batch {
                fixture.fresh[k] = fixture.scheduler.schedule(at: fixture.deadlines[k], UInt64(k))
            }
            benchmark.startMeasurement()
            let sum = cancelBatch(&fixture.scheduler, fixture.ring, positions: fixture.positions)
            benchmark.stopMeasurement()
            blackHole(sum)
            for k in 0..<batch { fixture.ring[fixture.positions[k]] = fixture.fresh[k] }
        },
        setup: { cancelBox.fixture = Fixture(size: size, seed: 2, tracking: false) },
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
            let fired = mixBatch(&fixture.scheduler, &fixture.pending, &fixture.random, target: size.pending, operations: batch)
            benchmark.stopMeasurement()
            blackHole(fired)
        },
        setup: { mixBox.fixture = Fixture(size: size, seed: 3, tracking: true) },
        teardown: { mixBox.fixture = nil }
    )

    // Advance: fire one million timers at `pending` pending, each replaced as it fires.
    let fireBox = FixtureBox<S>()
    Benchmark(
        name("advance fire 1M"),
        configuration: .init(
            metrics: metrics, warmupIterations: 0, scalingFactor: .mega,
            maxDuration: .seconds(8), maxIterations: size.fireIterations
        ),
        closure: { benchmark in
            guard let fixture = fireBox.fixture else { return }
            benchmark.startMeasurement()
            let fired = fireBatch(&fixture.scheduler, &fixture.random, count: firedPerIteration)
            benchmark.stopMeasurement()
            blackHole(fired)
        },
        setup: { fireBox.fixture = Fixture(size: size, seed: 4, tracking: false) },
        teardown: { fireBox.fixture = nil }
    )

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
