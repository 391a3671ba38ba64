import BanjianNode
import BanjianTestSupport
import DeadlineWheel
import Logging
import ServiceLifecycle
import Synchronization
import Testing

// Every test is deterministic: time moves only through `ManualWheelClock`, and tests wait for the
// driver to fall asleep through the clock's sleeper registry, never with wall-clock delays. The
// time limit only turns a regression into a failure instead of a hang.

/// 2025-06-15T15:06:40Z: a realistic epoch instant, so arithmetic is checked at full magnitude.
private let t0 = WheelInstant.seconds(1_750_000_000)

/// `t0` plus whole seconds.
private func at(_ seconds: Int64) -> WheelInstant {
    WheelInstant(nanoseconds: t0.nanoseconds + seconds * 1_000_000_000)
}

/// `t0` plus milliseconds.
private func at(milliseconds: Int64) -> WheelInstant {
    WheelInstant(nanoseconds: t0.nanoseconds + milliseconds * 1_000_000)
}

private let quietLogger = Logger(label: "banjian.test.deadlines") { _ in SwiftLogNoOpLogHandler() }

/// A driver on a manual clock whose fired batches arrive on `batches`, in order.
private struct Harness {
    let clock: ManualWheelClock
    let driver: DeadlineDriver<String, ManualWheelClock>
    let batches: AsyncStream<[FiredTimer<String>]>
    /// Every batch delivered so far, for asserting that nothing else fired.
    let delivered: Recorder

    init(start: WheelInstant = t0, clockStart: WheelInstant = t0, resolutionNanoseconds: Int64 = 1_000_000_000) {
        let clock = ManualWheelClock(start: clockStart)
        let (batches, continuation) = AsyncStream<[FiredTimer<String>]>.makeStream()
        let delivered = Recorder()
        self.clock = clock
        self.batches = batches
        self.delivered = delivered
        self.driver = DeadlineDriver(
            wheel: DeadlineWheel(start: start, resolutionNanoseconds: resolutionNanoseconds),
            clock: clock,
            logger: quietLogger
        ) { batch in
            delivered.append(batch)
            continuation.yield(batch)
        }
    }

    /// Runs the driver while `body` runs, then cancels it and checks that it returned and left no
    /// sleeper behind.
    func whileRunning(_ body: (inout AsyncStream<[FiredTimer<String>]>.Iterator) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await driver.run() }
            var iterator = batches.makeAsyncIterator()
            try await body(&iterator)
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(clock.sleeperCount == 0)
    }
}

/// Batches seen by `onFire`, thread-safe.
private final class Recorder: Sendable {
    private let batches = Mutex<[[FiredTimer<String>]]>([])

    func append(_ batch: [FiredTimer<String>]) {
        batches.withLock { $0.append(batch) }
    }

    var all: [[FiredTimer<String>]] {
        batches.withLock { $0 }
    }
}

@Suite("DeadlineDriver", .timeLimit(.minutes(1)))
struct DeadlineDriverTests {
    @Test("fires timers in deadline order as the clock advances")
    func firesInOrder() async throws {
        let harness = Harness()
        harness.driver.schedule(at: at(3), "c")
        harness.driver.schedule(at: at(1), "a")
        harness.driver.schedule(at: at(2), "b")

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleeper(until: at(1))
            harness.clock.advance(to: at(1))
            #expect(await batches.next()?.map(\.payload) == ["a"])

            await harness.clock.waitForSleeper(until: at(2))
            harness.clock.advance(to: at(2))
            #expect(await batches.next()?.map(\.payload) == ["b"])

            await harness.clock.waitForSleeper(until: at(3))
            harness.clock.advance(to: at(3))
            let last = try #require(await batches.next())
            #expect(last.map(\.payload) == ["c"])
            #expect(last.map(\.deadline) == [at(3)])
        }
        #expect(harness.driver.count == 0)
    }

    @Test("never fires before the deadline, rounded up to the wheel's resolution")
    func doesNotFireEarly() async throws {
        let harness = Harness()
        // 10.5 s at a 1 s resolution is due at 11 s.
        harness.driver.schedule(at: at(milliseconds: 10_500), "late")

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleeper(until: at(11))
            harness.clock.advance(to: at(milliseconds: 10_999))
            // The driver's sleep was not resumed, so it cannot have looked at the wheel.
            #expect(harness.clock.sleeperDeadlines == [at(11)])
            #expect(harness.delivered.all.isEmpty)

            harness.clock.advance(to: at(11))
            let batch = try #require(await batches.next())
            #expect(batch.map(\.payload) == ["late"])
            #expect(batch.map(\.deadline) == [at(11)])
        }
    }

    @Test("wakes early when an earlier timer is scheduled while it sleeps")
    func wakesEarlyForEarlierTimer() async throws {
        let harness = Harness()
        harness.driver.schedule(at: at(10), "ten")

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleeper(until: at(10))
            harness.driver.schedule(at: at(4), "four")
            await harness.clock.waitForSleeper(until: at(4))
            // The old sleep was cancelled, not left behind, and nothing fired on waking.
            #expect(harness.clock.sleeperDeadlines == [at(4)])
            #expect(harness.delivered.all.isEmpty)

            // A later timer does not disturb the sleep.
            harness.driver.schedule(at: at(7), "seven")
            #expect(harness.clock.sleeperDeadlines == [at(4)])

            harness.clock.advance(to: at(4))
            #expect(await batches.next()?.map(\.payload) == ["four"])
            await harness.clock.waitForSleeper(until: at(7))
            harness.clock.advance(to: at(10))
            #expect(await batches.next()?.map(\.payload) == ["seven", "ten"])
        }
    }

    @Test("sleeps until the end of time when empty and wakes for the first timer")
    func wakesFromIdle() async throws {
        let harness = Harness()

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleepers(count: 1)
            #expect(harness.clock.sleeperDeadlines == [WheelInstant(nanoseconds: .max)])

            harness.driver.schedule(at: at(2), "first")
            await harness.clock.waitForSleeper(until: at(2))
            #expect(harness.clock.sleeperDeadlines == [at(2)])
            harness.clock.advance(to: at(2))
            #expect(await batches.next()?.map(\.payload) == ["first"])

            // Empty again: back to the idle horizon.
            await harness.clock.waitForSleeper(until: WheelInstant(nanoseconds: .max))
        }
    }

    @Test("a timer due in the past fires without the clock moving")
    func pastDeadlineFiresAtOnce() async throws {
        let harness = Harness(clockStart: at(100))

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleepers(count: 1)
            harness.driver.schedule(at: at(50), "overdue")
            let batch = try #require(await batches.next())
            #expect(batch.map(\.payload) == ["overdue"])
            #expect(harness.clock.now() == at(100))
        }
    }

    @Test("cancel and reschedule while running")
    func cancelAndRescheduleWhileRunning() async throws {
        let harness = Harness()
        let a = harness.driver.schedule(at: at(5), "a")
        let b = harness.driver.schedule(at: at(6), "b")
        let c = harness.driver.schedule(at: at(8), "c")

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleeper(until: at(5))

            #expect(harness.driver.cancel(a) == "a")
            #expect(harness.driver.cancel(a) == nil)
            #expect(!harness.driver.reschedule(a, to: at(1)))
            #expect(harness.driver.count == 2)

            // Rescheduling earlier than the sleep target wakes the driver.
            #expect(harness.driver.reschedule(b, to: at(3)))
            await harness.clock.waitForSleeper(until: at(3))
            #expect(harness.clock.sleeperDeadlines == [at(3)])
            #expect(harness.driver.nextDeadline == at(3))

            // Rescheduling later does not.
            #expect(harness.driver.reschedule(c, to: at(9)))
            #expect(harness.clock.sleeperDeadlines == [at(3)])

            harness.clock.advance(to: at(8))
            let batch = try #require(await batches.next())
            #expect(batch.map(\.payload) == ["b"])
            #expect(batch.map(\.deadline) == [at(3)])
            await harness.clock.waitForSleeper(until: at(9))
            #expect(harness.driver.count == 1)
        }
        #expect(harness.delivered.all.flatMap { $0 }.map(\.payload) == ["b"])
    }

    @Test("a batch fired in one advance is delivered whole, in deadline order, ties first-in first-out")
    func batchInDeadlineOrder() async throws {
        let harness = Harness(resolutionNanoseconds: 1_000_000)
        // A seeded linear congruential generator: deadlines in 1...200 ms (none due at start),
        // many ties.
        var seed: UInt64 = 0x5EED
        var expected: [(deadline: WheelInstant, sequence: Int)] = []
        for sequence in 0..<500 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let deadline = at(milliseconds: 1 + Int64(seed >> 33) % 200)
            harness.driver.schedule(at: deadline, "\(sequence)")
            expected.append((deadline, sequence))
        }
        expected.sort { ($0.deadline, $0.sequence) < ($1.deadline, $1.sequence) }

        try await harness.whileRunning { batches in
            await harness.clock.waitForSleepers(count: 1)
            harness.clock.advance(to: at(1))
            let batch = try #require(await batches.next())
            #expect(batch.map(\.payload) == expected.map { "\($0.sequence)" })
            #expect(batch.map(\.deadline) == expected.map(\.deadline))
        }
        #expect(harness.delivered.all.count == 1)
        #expect(harness.driver.count == 0)
    }

    @Test("stops and returns when its task is cancelled")
    func stopsOnCancellation() async throws {
        let harness = Harness()
        harness.driver.schedule(at: at(60), "pending")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await harness.driver.run() }
            await harness.clock.waitForSleepers(count: 1)
            group.cancelAll()
            // Returns normally: a cancelled driver is a stopped driver, not a failure.
            try await group.waitForAll()
        }
        #expect(harness.clock.sleeperCount == 0)
        #expect(harness.driver.count == 1)
    }

    @Test("stops on graceful shutdown of its service group")
    func stopsOnGracefulShutdown() async throws {
        let harness = Harness()
        harness.driver.schedule(at: at(60), "pending")
        let group = ServiceGroup(services: [harness.driver], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await harness.clock.waitForSleepers(count: 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(harness.clock.sleeperCount == 0)
        #expect(harness.driver.count == 1)
        #expect(harness.delivered.all.isEmpty)
    }

    @Test("graceful shutdown lets the batch in flight finish, uncancelled, then stops")
    func gracefulShutdownFinishesBatchInFlight() async throws {
        let clock = ManualWheelClock(start: t0)
        let (entered, enteredContinuation) = AsyncStream<Void>.makeStream()
        let (gate, gateContinuation) = AsyncStream<Void>.makeStream()
        let outcomes = Mutex<[(payloads: [String], cancelled: Bool)]>([])
        let driver = DeadlineDriver(wheel: DeadlineWheel<String>(start: t0), clock: clock, logger: quietLogger) {
            batch in
            enteredContinuation.yield()
            for await _ in gate { break }
            let cancelled = Task.isCancelled
            outcomes.withLock { $0.append((batch.map(\.payload), cancelled)) }
        }
        driver.schedule(at: at(1), "in flight")
        driver.schedule(at: at(2), "after shutdown")
        let group = ServiceGroup(services: [driver], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await clock.waitForSleeper(until: at(1))
            clock.advance(to: at(1))
            var enteredIterator = entered.makeAsyncIterator()
            await enteredIterator.next()
            await group.triggerGracefulShutdown()
            gateContinuation.yield()
            try await tasks.waitForAll()
        }
        let recorded = outcomes.withLock { $0 }
        #expect(recorded.count == 1)
        #expect(recorded.first?.payloads == ["in flight"])
        #expect(recorded.first?.cancelled == false)
        #expect(driver.count == 1)
        #expect(clock.sleeperCount == 0)
    }
}

@Suite("System clocks")
struct SystemClockTests {
    @Test("the system clock reads civil time and a past deadline returns at once")
    func systemClockReadsCivilTime() async throws {
        let clock = SystemWheelClock()
        // 2024-01-01T00:00:00Z: any machine running this is later.
        #expect(clock.now() > .seconds(1_704_067_200))
        try await clock.sleep(until: .seconds(1_704_067_200))
    }

    @Test("the monotonic clock never goes back and starts near zero")
    func monotonicClockIsMonotonic() async throws {
        let clock = MonotonicWheelClock()
        let first = clock.now()
        let second = clock.now()
        #expect(first >= WheelInstant(nanoseconds: 0))
        #expect(second >= first)
        try await clock.sleep(until: first)
    }

    @Test("real clocks throw CancellationError in a cancelled task")
    func realClocksHonourCancellation() async {
        await withTaskGroup(of: Bool.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    try await SystemWheelClock().sleep(until: .seconds(4_000_000_000))
                    return false
                } catch {
                    return error is CancellationError
                }
            }
            group.addTask {
                do {
                    try await #require(AcceleratedWheelClock(start: t0, rate: 10)).sleep(until: at(3_600))
                    return false
                } catch {
                    return error is CancellationError
                }
            }
            for await threwCancellation in group {
                #expect(threwCancellation)
            }
        }
    }
}

@Suite("ManualWheelClock", .timeLimit(.minutes(1)))
struct ManualWheelClockTests {
    @Test("advancing resumes exactly the sleepers whose deadline is reached")
    func resumesDueSleepers() async throws {
        let clock = ManualWheelClock(start: t0)
        try await withThrowingTaskGroup(of: WheelInstant.self) { group in
            for seconds: Int64 in [3, 1, 2] {
                group.addTask {
                    try await clock.sleep(until: at(seconds))
                    return at(seconds)
                }
            }
            await clock.waitForSleepers(count: 3)
            #expect(clock.sleeperDeadlines == [at(1), at(2), at(3)])

            clock.advance(by: 999_999_999)
            #expect(clock.sleeperCount == 3)

            clock.advance(by: .nanoseconds(1))
            #expect(try await group.next() == at(1))
            #expect(clock.sleeperDeadlines == [at(2), at(3)])

            clock.advance(to: at(3))
            #expect(clock.sleeperCount == 0)
            var rest: [WheelInstant] = []
            for try await woken in group { rest.append(woken) }
            #expect(rest.sorted() == [at(2), at(3)])
        }
        #expect(clock.now() == at(3))
    }

    @Test("a deadline already reached returns at once; the clock never goes back")
    func pastDeadlineAndMonotonicity() async throws {
        let clock = ManualWheelClock(start: at(10))
        try await clock.sleep(until: at(10))
        try await clock.sleep(until: at(3))
        clock.advance(to: at(5))
        #expect(clock.now() == at(10))
        clock.advance(by: -1)
        #expect(clock.now() == at(10))
        #expect(clock.sleeperCount == 0)
    }

    @Test("cancelling a sleeper throws CancellationError and removes it")
    func cancellationRemovesSleeper() async throws {
        let clock = ManualWheelClock(start: t0)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(until: at(60))
                    return false
                } catch is CancellationError {
                    return true
                }
            }
            await clock.waitForSleepers(count: 1)
            group.cancelAll()
            let threwCancellation = try await group.next()
            #expect(threwCancellation == true)
        }
        #expect(clock.sleeperCount == 0)
        // A later advance has nothing left to resume.
        clock.advance(to: at(120))
        #expect(clock.sleeperCount == 0)
    }

    @Test("sleeping in an already cancelled task throws at once")
    func sleepInCancelledTask() async throws {
        let clock = ManualWheelClock(start: t0)
        await withTaskGroup(of: Bool.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    try await clock.sleep(until: at(60))
                    return false
                } catch {
                    return error is CancellationError
                }
            }
            #expect(await group.next() == true)
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test("waiting for sleepers returns when the condition already holds or becomes true")
    func waitForSleepers() async throws {
        let clock = ManualWheelClock(start: t0)
        await clock.waitForSleepers(count: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await clock.waitForSleeper(until: at(2)) }
            group.addTask { try await clock.sleep(until: at(1)) }
            group.addTask { try await clock.sleep(until: at(2)) }
            // Only the waiter can finish while the clock stands still.
            try await group.next()
            #expect(clock.sleeperDeadlines.contains(at(2)))
            await clock.waitForSleepers(count: 2)
            clock.advance(to: at(2))
            try await group.waitForAll()
        }
        #expect(clock.sleeperCount == 0)
    }
}

@Suite("AcceleratedWheelClock", .timeLimit(.minutes(1)))
struct AcceleratedWheelClockTests {
    @Test(
        "simulated time is start plus base elapsed times the rate",
        arguments: [
            (rate: 60.0, baseElapsed: Int64(1_000_000_000), simulatedElapsed: Int64(60_000_000_000)),
            (rate: 3_600.0, baseElapsed: 250_000_000, simulatedElapsed: 900_000_000_000),
            (rate: 0.5, baseElapsed: 3_000_000_000, simulatedElapsed: 1_500_000_000),
            (rate: 1.0, baseElapsed: 7, simulatedElapsed: 7),
            (rate: 0.25, baseElapsed: 3, simulatedElapsed: 0),  // rounded down: never ahead
        ]
    )
    func mapsElapsedTimeByRate(_ example: (rate: Double, baseElapsed: Int64, simulatedElapsed: Int64)) throws {
        let base = ManualWheelClock(start: .seconds(42))
        let clock = try #require(AcceleratedWheelClock(start: t0, rate: example.rate, base: base))
        #expect(clock.now() == t0)
        base.advance(by: example.baseElapsed)
        #expect(clock.now() == WheelInstant(nanoseconds: t0.nanoseconds + example.simulatedElapsed))
    }

    @Test("sleeping waits the simulated remainder divided by the rate on the base clock")
    func sleepsRemainderOverRate() async throws {
        let base = ManualWheelClock(start: .seconds(42))
        let clock = try #require(AcceleratedWheelClock(start: t0, rate: 60, base: base))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: at(120)) }
            // Two simulated minutes at 60× are two base seconds.
            await base.waitForSleeper(until: .seconds(44))
            #expect(base.sleeperDeadlines == [.seconds(44)])
            base.advance(by: .seconds(2))
            try await group.waitForAll()
        }
        #expect(clock.now() == at(120))
    }

    @Test("a far deadline sleeps in bounded base steps")
    func farDeadlineIsBounded() async throws {
        let base = ManualWheelClock(start: .seconds(0))
        let clock = try #require(AcceleratedWheelClock(start: t0, rate: 2, base: base))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: WheelInstant(nanoseconds: .max)) }
            await base.waitForSleepers(count: 1)
            // One hour of base time per step, never an overflowing conversion.
            #expect(base.sleeperDeadlines == [.seconds(3_600)])
            group.cancelAll()
            var caught: (any Error)?
            do { try await group.waitForAll() } catch { caught = error }
            #expect(caught is CancellationError)
        }
        #expect(base.sleeperCount == 0)
    }

    @Test("drives the deadline driver: a simulated minute passes in a base second")
    func drivesTheDriver() async throws {
        let base = ManualWheelClock(start: .seconds(0))
        let clock = try #require(AcceleratedWheelClock(start: t0, rate: 60, base: base))
        let (batches, continuation) = AsyncStream<[FiredTimer<String>]>.makeStream()
        let driver = DeadlineDriver(wheel: DeadlineWheel<String>(start: t0), clock: clock, logger: quietLogger) {
            continuation.yield($0)
        }
        driver.schedule(at: at(60), "minute")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await driver.run() }
            await base.waitForSleeper(until: .seconds(1))
            base.advance(by: .seconds(1))
            var iterator = batches.makeAsyncIterator()
            #expect(await iterator.next()?.map(\.payload) == ["minute"])
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(base.sleeperCount == 0)
    }
}

@Suite("AcceleratedWheelClock rates")
struct AcceleratedWheelClockRateTests {
    @Test("a rate that is not positive and finite is refused, not a crash", arguments: [0, -1, Double.infinity, Double.nan])
    func badRate(rate: Double) {
        let base = ManualWheelClock(start: WheelInstant(nanoseconds: 0))
        #expect(AcceleratedWheelClock(start: WheelInstant(nanoseconds: 0), rate: rate, base: base) == nil)
    }
}
