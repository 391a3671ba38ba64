@testable import DeadlineBaseline
import DeadlineWheel
import Testing

/// The heap baseline on its own: it must have exactly the wheel's semantics (rounding, first-in
/// first-out among equal ticks, past deadlines, callback mutations), or the wheel-vs-heap
/// comparison means nothing.
@Suite("HeapDeadlineScheduler")
struct HeapDeadlineSchedulerTests {
    typealias Scheduler = HeapDeadlineScheduler<String>

    static let second: Int64 = 1_000_000_000

    static func at(_ seconds: Double) -> WheelInstant {
        WheelInstant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// Advances and returns the payloads fired, in order, checking invariants after.
    static func fire(_ scheduler: inout Scheduler, to seconds: Double) -> [String] {
        var fired: [String] = []
        scheduler.advance(to: at(seconds)) { _, timer in fired.append(timer.payload) }
        scheduler.checkInvariants()
        return fired
    }

    @Test func firesInDeadlineOrder() {
        var scheduler = Scheduler(start: .seconds(0))
        var random = Generator(seed: 7)
        var expected: [(Int64, String)] = []
        for i in 0..<500 {
            let second = Int64(random.next() % 10_000) + 1
            scheduler.schedule(at: .seconds(second), "t\(i)")
            expected.append((second, "t\(i)"))
        }
        scheduler.checkInvariants()
        // A stable sort: equal seconds keep schedule order.
        let order = expected.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
        #expect(Self.fire(&scheduler, to: 10_001) == order)
        #expect(scheduler.isEmpty)
        #expect(scheduler.nextDeadline == nil)
    }

    @Test func equalTicksFireFirstInFirstOut() {
        var scheduler = Scheduler(start: .seconds(0))
        scheduler.schedule(at: Self.at(5.9), "a")
        scheduler.schedule(at: Self.at(5.1), "b")
        scheduler.schedule(at: Self.at(6.0), "c")
        scheduler.schedule(at: Self.at(5.5), "d")
        #expect(scheduler.nextDeadline == .seconds(6))
        var deadlines: [WheelInstant] = []
        var fired: [String] = []
        scheduler.advance(to: .seconds(6)) { _, timer in
            fired.append(timer.payload)
            deadlines.append(timer.deadline)
        }
        #expect(fired == ["a", "b", "c", "d"])
        #expect(deadlines == Array(repeating: .seconds(6), count: 4))
    }

    @Test(arguments: [
        // (deadline ns, resolution ns, rounded deadline ns)
        (Int64(0), Int64(1_000_000_000), Int64(0)),
        (1, 1_000_000_000, 1_000_000_000),
        (1_000_000_000, 1_000_000_000, 1_000_000_000),
        (1_000_000_001, 1_000_000_000, 2_000_000_000),
        (-1, 1_000_000_000, 0),
        (-1_500_000_000, 1_000_000_000, -1_000_000_000),
        (-2_000_000_000, 1_000_000_000, -2_000_000_000),
        (1_234_567, 1_000_000, 2_000_000),
        (7, 1, 7),
    ])
    func deadlinesRoundUpToTheResolution(deadline: Int64, resolution: Int64, rounded: Int64) {
        var scheduler = Scheduler(start: WheelInstant(nanoseconds: -10_000_000_000), resolutionNanoseconds: resolution)
        scheduler.schedule(at: WheelInstant(nanoseconds: deadline), "x")
        #expect(scheduler.nextDeadline == WheelInstant(nanoseconds: rounded))
        // Not due one nanosecond before the rounded deadline (unless that is the same tick).
        let before = scheduler.advance(to: WheelInstant(nanoseconds: rounded - 1)) { _, _ in }
        #expect(before == 0)
        var deadlines: [WheelInstant] = []
        scheduler.advance(to: WheelInstant(nanoseconds: rounded)) { _, timer in deadlines.append(timer.deadline) }
        #expect(deadlines == [WheelInstant(nanoseconds: rounded)])
    }

    @Test func advanceFiresWhatIsDueInTheCurrentTick() {
        var scheduler = Scheduler(start: .seconds(0))
        scheduler.schedule(at: Self.at(1.2), "x")
        #expect(Self.fire(&scheduler, to: 1.999).isEmpty)
        // 2.5 s is in tick 2, where the rounded-up deadline 2 s falls.
        #expect(Self.fire(&scheduler, to: 2.5) == ["x"])
        #expect(scheduler.now == .seconds(2))
    }

    @Test func pastDeadlinesAreDueNowAndQueueBehindEarlierOnes() {
        var scheduler = Scheduler(start: .seconds(100))
        scheduler.schedule(at: .seconds(100), "now")
        scheduler.schedule(at: .seconds(50), "past")
        scheduler.schedule(at: .seconds(101), "later")
        #expect(scheduler.nextDeadline == .seconds(100))
        var deadlines: [WheelInstant] = []
        var fired: [String] = []
        scheduler.advance(to: .seconds(100)) { _, timer in
            fired.append(timer.payload)
            deadlines.append(timer.deadline)
        }
        #expect(fired == ["now", "past"])
        #expect(deadlines == [.seconds(100), .seconds(100)])
        #expect(scheduler.count == 1)
    }

    @Test func advancingBackwardsDoesNothing() {
        var scheduler = Scheduler(start: .seconds(100))
        scheduler.schedule(at: .seconds(50), "past")
        #expect(Self.fire(&scheduler, to: 99.5).isEmpty)
        #expect(scheduler.now == .seconds(100))
        #expect(scheduler.count == 1)
        #expect(Self.fire(&scheduler, to: 100.5) == ["past"])
    }

    @Test func cancelReturnsThePayloadOnce() {
        var scheduler = Scheduler(start: .seconds(0))
        let first = scheduler.schedule(at: .seconds(1), "first")
        let second = scheduler.schedule(at: .seconds(2), "second")
        #expect(scheduler.cancel(first) == "first")
        scheduler.checkInvariants()
        #expect(scheduler.cancel(first) == nil)
        #expect(!scheduler.contains(first))
        #expect(scheduler.contains(second))
        #expect(scheduler.count == 1)
        // The cancelled timer was the earliest: the top moved on.
        #expect(scheduler.nextDeadline == .seconds(2))
        #expect(Self.fire(&scheduler, to: 10) == ["second"])
    }

    @Test func staleHandlesNeverTouchAReusedSlot() {
        var scheduler = Scheduler(start: .seconds(0))
        let old = scheduler.schedule(at: .seconds(1), "old")
        _ = scheduler.cancel(old)
        let reused = scheduler.schedule(at: .seconds(1), "new")
        #expect(reused.index == old.index)
        #expect(reused != old)
        #expect(scheduler.cancel(old) == nil)
        let staleMoved = scheduler.reschedule(old, to: .seconds(5))
        #expect(!staleMoved)
        #expect(scheduler.contains(reused))

        var firedHandle: TimerHandle?
        scheduler.advance(to: .seconds(1)) { _, timer in firedHandle = timer.handle }
        #expect(firedHandle == reused)
        #expect(!scheduler.contains(reused))
        #expect(scheduler.cancel(reused) == nil)
        let firedMoved = scheduler.reschedule(reused, to: .seconds(5))
        #expect(!firedMoved)
        // A handle this scheduler never made.
        #expect(scheduler.cancel(TimerHandle(index: 1_000, generation: 0)) == nil)
        scheduler.checkInvariants()
    }

    @Test func rescheduleMovesTheTimerAndCountsAsNew() {
        var scheduler = Scheduler(start: .seconds(0))
        let a = scheduler.schedule(at: .seconds(10), "a")
        scheduler.schedule(at: .seconds(10), "b")
        let c = scheduler.schedule(at: .seconds(20), "c")
        let aMoved = scheduler.reschedule(a, to: .seconds(10))
        #expect(aMoved)
        let cMoved = scheduler.reschedule(c, to: .seconds(5))
        #expect(cMoved)
        #expect(scheduler.nextDeadline == .seconds(5))
        #expect(scheduler.contains(a))
        #expect(scheduler.count == 3)
        scheduler.checkInvariants()
        #expect(Self.fire(&scheduler, to: 30) == ["c", "b", "a"])
    }

    @Test func fireMayScheduleCancelAndReschedule() {
        var scheduler = Scheduler(start: .seconds(0))
        scheduler.schedule(at: .seconds(1), "a")
        let b = scheduler.schedule(at: .seconds(2), "b")
        let c = scheduler.schedule(at: .seconds(2), "c")
        scheduler.schedule(at: .seconds(3), "d")
        var fired: [String] = []
        var seenNext: [WheelInstant?] = []
        var nestedAdvance = -1
        let count = scheduler.advance(to: .seconds(3)) { scheduler, timer in
            fired.append(timer.payload)
            scheduler.checkInvariants()
            guard timer.payload == "a" else { return }
            #expect(scheduler.cancel(b) == "b")
            let cMoved = scheduler.reschedule(c, to: .seconds(9))
            #expect(cMoved)
            // In the past: due at the tick being fired, after what is already due there.
            scheduler.schedule(at: .seconds(0), "past")
            scheduler.schedule(at: .seconds(3), "three")
            scheduler.schedule(at: .seconds(4), "four")
            seenNext.append(scheduler.nextDeadline)
            nestedAdvance = scheduler.advance(to: .seconds(100)) { _, _ in }
        }
        #expect(fired == ["a", "past", "d", "three"])
        #expect(count == 4)
        #expect(seenNext == [.seconds(1)])
        #expect(nestedAdvance == 0)
        #expect(scheduler.count == 2)
        #expect(scheduler.nextDeadline == .seconds(4))
        scheduler.checkInvariants()
        #expect(Self.fire(&scheduler, to: 9) == ["four", "c"])
    }

    @Test func fireSeesItsHandleAlreadyStale() {
        var scheduler = Scheduler(start: .seconds(0))
        scheduler.schedule(at: .seconds(1), "a")
        var results: [Bool] = []
        scheduler.advance(to: .seconds(1)) { scheduler, timer in
            results.append(scheduler.contains(timer.handle))
            results.append(scheduler.reschedule(timer.handle, to: .seconds(5)))
        }
        #expect(results == [false, false])
        #expect(scheduler.isEmpty)
    }

    @Test func lazyDeletionStaysBounded() {
        var scheduler = Scheduler(start: .seconds(0), capacity: 1_000)
        var random = Generator(seed: 11)
        var handles = (0..<1_000).map { i in scheduler.schedule(at: .seconds(Int64(random.next() % 100_000) + 1), "t\(i)") }
        let bytes = scheduler.storageBytes
        for round in 0..<50_000 {
            let slot = Int(random.next() % UInt64(handles.count))
            if round.isMultiple(of: 3) {
                let moved = scheduler.reschedule(handles[slot], to: .seconds(Int64(random.next() % 100_000) + 1))
                #expect(moved)
            } else {
                #expect(scheduler.cancel(handles[slot]) != nil)
                handles[slot] = scheduler.schedule(at: .seconds(Int64(random.next() % 100_000) + 1), "r\(round)")
            }
            #expect(scheduler.heap.count <= 2 * scheduler.count + 1)
        }
        scheduler.checkInvariants()
        #expect(scheduler.count == 1_000)
        #expect(scheduler.storageBytes == bytes)
        let heapBytes = (2 * 1_000 + 2) * MemoryLayout<Scheduler.Entry>.stride
        #expect(bytes == heapBytes + scheduler.slots.capacity * MemoryLayout<Scheduler.Slot>.stride)
    }

    @Test func cancellingEverythingEmptiesTheHeap() {
        var scheduler = Scheduler(start: .seconds(0))
        let handles = (0..<100).map { scheduler.schedule(at: .seconds(Int64($0 % 7) + 1), "t\($0)") }
        for handle in handles.reversed() { _ = scheduler.cancel(handle) }
        scheduler.checkInvariants()
        #expect(scheduler.isEmpty)
        #expect(scheduler.heap.isEmpty)
        #expect(scheduler.nextDeadline == nil)
        #expect(Self.fire(&scheduler, to: 100).isEmpty)
    }

    @Test func bulkLoadMatchesSchedulingOneByOne() {
        var random = Generator(seed: 3)
        let timers = (0..<2_000).map { i in (WheelInstant.seconds(Int64(random.next() % 300)), "t\(i)") }
        var bulk = Scheduler(start: .seconds(0))
        var single = Scheduler(start: .seconds(0))
        // Once onto an empty scheduler, once onto a non-empty one.
        for part in [timers[..<1_000], timers[1_000...]] {
            let handles = bulk.scheduleAll(part)
            #expect(handles.count == part.count)
            #expect(handles.allSatisfy { bulk.contains($0) })
            for (deadline, payload) in part { single.schedule(at: deadline, payload) }
            bulk.checkInvariants()
        }
        #expect(bulk.count == 2_000)
        #expect(bulk.storageBytes >= 2_000 * MemoryLayout<Scheduler.Slot>.stride)
        #expect(Self.fire(&bulk, to: 300) == Self.fire(&single, to: 300))
    }

    /// A seeded random walk against a plain model (a list sorted on demand), checking the
    /// invariants after every step.
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func randomOperationsMatchAModel(seed: UInt64) {
        var random = Generator(seed: seed)
        let resolution: Int64 = 250_000_000
        var scheduler = Scheduler(start: .seconds(0), resolutionNanoseconds: resolution)
        // Pending timers: tick, order of (re)scheduling, payload, handle.
        var model: [(tick: Int64, order: Int, payload: String, handle: TimerHandle)] = []
        var nowTick: Int64 = 0
        var order = 0
        func tick(of nanoseconds: Int64) -> Int64 {
            max((nanoseconds + resolution - 1).quotientFloor(resolution), nowTick)
        }
        for step in 0..<3_000 {
            let roll = random.next() % 100
            let deadline = WheelInstant(nanoseconds: nowTick * resolution + Int64(random.next() % 20_000_000_000) - 2_000_000_000)
            if roll < 45 || model.isEmpty {
                let handle = scheduler.schedule(at: deadline, "s\(step)")
                model.append((tick(of: deadline.nanoseconds), order, "s\(step)", handle))
                order += 1
            } else if roll < 65 {
                let victim = Int(random.next() % UInt64(model.count))
                #expect(scheduler.cancel(model[victim].handle) == model[victim].payload)
                model.remove(at: victim)
            } else if roll < 80 {
                let victim = Int(random.next() % UInt64(model.count))
                let moved = scheduler.reschedule(model[victim].handle, to: deadline)
                #expect(moved)
                model[victim].tick = tick(of: deadline.nanoseconds)
                model[victim].order = order
                order += 1
            } else {
                let target = nowTick * resolution + Int64(random.next() % 3_000_000_000) - 500_000_000
                let targetTick = target.quotientFloor(resolution)
                var fired: [String] = []
                scheduler.advance(to: WheelInstant(nanoseconds: target)) { _, timer in fired.append(timer.payload) }
                var expected: [String] = []
                if targetTick >= nowTick {
                    let due = model.filter { $0.tick <= targetTick }.sorted { ($0.tick, $0.order) < ($1.tick, $1.order) }
                    expected = due.map(\.payload)
                    model.removeAll { $0.tick <= targetTick }
                    nowTick = targetTick
                }
                #expect(fired == expected)
            }
            scheduler.checkInvariants()
            #expect(scheduler.count == model.count)
            let earliest = model.map(\.tick).min().map { WheelInstant(nanoseconds: $0 * resolution) }
            #expect(scheduler.nextDeadline == earliest)
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func quotientFloor(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}

extension HeapDeadlineSchedulerTests {
    /// A tiny deterministic generator (SplitMix64) so seeded tests replay exactly.
    fileprivate struct Generator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
