import DeadlineBaseline
import DeadlineWheel
import Testing

@Suite("DeadlineWheel")
struct DeadlineWheelTests {
    static let second: Int64 = 1_000_000_000
    static func at(_ seconds: Int64) -> WheelInstant { .seconds(seconds) }
    /// 2025-03-10T00:00:00Z.
    static let t0: Int64 = 1_741_564_800

    private func drain(_ wheel: inout DeadlineWheel<String>, to seconds: Int64) -> [String] {
        var fired: [String] = []
        wheel.advance(to: Self.at(seconds)) { _, timer in fired.append(timer.payload) }
        return fired
    }

    @Test("timers fire in deadline order, equal deadlines first-in first-out, never early")
    func order() {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0))
        wheel.schedule(at: Self.at(Self.t0 + 30), "c1")
        wheel.schedule(at: Self.at(Self.t0 + 10), "a")
        wheel.schedule(at: Self.at(Self.t0 + 30), "c2")
        wheel.schedule(at: Self.at(Self.t0 + 86_400 * 5), "far")
        wheel.schedule(at: Self.at(Self.t0 + 20), "b")
        wheel.schedule(at: Self.at(Self.t0 + 30), "c3")
        #expect(wheel.count == 6)
        #expect(wheel.nextDeadline == Self.at(Self.t0 + 10))
        #expect(drain(&wheel, to: Self.t0 + 9) == [])
        #expect(drain(&wheel, to: Self.t0 + 30) == ["a", "b", "c1", "c2", "c3"])
        #expect(wheel.nextDeadline == Self.at(Self.t0 + 86_400 * 5))
        #expect(drain(&wheel, to: Self.t0 + 86_400 * 5 - 1) == [])
        #expect(drain(&wheel, to: Self.t0 + 86_400 * 5) == ["far"])
        #expect(wheel.isEmpty)
        #expect(wheel._invariantViolations == [])
    }

    @Test("deadlines round up to the resolution: never early, at most one tick late")
    func rounding() {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0))
        wheel.schedule(at: WheelInstant(nanoseconds: (Self.t0 + 10) * Self.second + 500_000_000), "half")
        #expect(wheel.nextDeadline == Self.at(Self.t0 + 11))
        var fired: [String] = []
        wheel.advance(to: WheelInstant(nanoseconds: (Self.t0 + 10) * Self.second + 900_000_000)) { _, t in fired.append(t.payload) }
        #expect(fired == [], "a timer due at 10.5 s must not fire at 10.9 s (its tick is 11)")
        wheel.advance(to: Self.at(Self.t0 + 11)) { _, t in fired.append(t.payload) }
        #expect(fired == ["half"])
    }

    @Test("handles are generation-checked: fired and cancelled handles change nothing")
    func staleHandles() {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0))
        let a = wheel.schedule(at: Self.at(Self.t0 + 5), "a")
        #expect(wheel.cancel(a) == "a")
        #expect(wheel.cancel(a) == nil)
        let b = wheel.schedule(at: Self.at(Self.t0 + 5), "b") // reuses a's node
        #expect(wheel.cancel(a) == nil, "a's handle must not cancel b")
        #expect(wheel.reschedule(a, to: Self.at(Self.t0 + 1)) == false)
        #expect(wheel.contains(b) && !wheel.contains(a))
        #expect(wheel.deadline(of: b) == Self.at(Self.t0 + 5))
        #expect(drain(&wheel, to: Self.t0 + 5) == ["b"])
        #expect(wheel.cancel(b) == nil, "a fired timer cannot be cancelled")
        #expect(wheel.deadline(of: b) == nil)
        #expect(wheel.cancel(TimerHandle(index: 0, generation: 0)) == nil, "generation 0 is never issued")
        #expect(wheel.cancel(TimerHandle(index: 1_000_000, generation: 0)) == nil)
        #expect(wheel._invariantViolations == [])
    }

    @Test("fire may cancel, reschedule and schedule, including timers due in the same tick")
    func mutationsInsideFire() {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0))
        var handles: [String: TimerHandle] = [:]
        for name in ["x", "y", "z"] { handles[name] = wheel.schedule(at: Self.at(Self.t0 + 10), name) }
        handles["later"] = wheel.schedule(at: Self.at(Self.t0 + 50), "later")
        var fired: [String] = []
        let count = wheel.advance(to: Self.at(Self.t0 + 20)) { wheel, timer in
            fired.append(timer.payload)
            #expect(!wheel.contains(timer.handle), "a fired timer is no longer pending")
            let nested = wheel.advance(to: Self.at(Self.t0 + 100)) { _, _ in }
            #expect(nested == 0, "advance inside fire does nothing")
            if timer.payload == "x", let y = handles["y"], let later = handles["later"] {
                let cancelled = wheel.cancel(y)                                         // a sibling in the same slot
                let moved = wheel.reschedule(later, to: Self.at(Self.t0 + 15))          // pulled into this advance
                #expect(cancelled == "y" && moved)
                wheel.schedule(at: Self.at(Self.t0 + 5), "past-due")                   // already due: fires now
                wheel.schedule(at: Self.at(Self.t0 + 40), "future")
            }
        }
        #expect(fired == ["x", "z", "past-due", "later"])
        #expect(count == 4)
        #expect(wheel.count == 1)
        #expect(drain(&wheel, to: Self.t0 + 40) == ["future"])
        #expect(wheel._invariantViolations == [])
    }

    @Test("a huge jump fires everything in order, across levels and the overflow list", arguments: [1, 2, 6])
    func hugeJump(levels: Int) {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0), levels: levels)
        let offsets: [Int64] = [3_000_000_000, 1, 64, 63, 4_096, 4_095, 262_144, 86_400 * 365 * 100, 16_777_216, 2]
        for offset in offsets { wheel.schedule(at: Self.at(Self.t0 + offset), "\(offset)") }
        #expect(wheel._invariantViolations == [])
        #expect(wheel.nextDeadline == Self.at(Self.t0 + 1))
        let last = offsets.max() ?? 0
        #expect(drain(&wheel, to: Self.t0 + 3_000_000_000) == offsets.sorted().dropLast().map { "\($0)" })
        #expect(drain(&wheel, to: Self.t0 + last) == ["\(last)"])
        #expect(wheel.now == Self.at(Self.t0 + last))
        #expect(wheel._invariantViolations == [])
    }

    @Test("time never runs backwards; advancing to the past does nothing")
    func backwards() {
        var wheel = DeadlineWheel<String>(start: Self.at(Self.t0 + 100))
        wheel.schedule(at: Self.at(Self.t0 + 50), "past")
        #expect(wheel.nextDeadline == Self.at(Self.t0 + 100), "a past deadline is due now")
        #expect(drain(&wheel, to: Self.t0) == [])
        #expect(wheel.now == Self.at(Self.t0 + 100))
        #expect(drain(&wheel, to: Self.t0 + 100) == ["past"])
    }

    @Test("the 2038 and 2100 boundaries, and instants before 1970")
    func boundaries() {
        let y2038: Int64 = 2_147_483_648      // 2038-01-19T03:14:08Z, where Int32 seconds overflow
        let y2100: Int64 = 4_102_444_800      // 2100-01-01T00:00:00Z
        var wheel = DeadlineWheel<String>(start: Self.at(y2038 - 10))
        wheel.schedule(at: Self.at(y2038 + 1), "after")
        wheel.schedule(at: Self.at(y2038 - 1), "before")
        wheel.schedule(at: Self.at(y2100), "2100")
        wheel.schedule(at: Self.at(y2100 - 1), "2099")
        #expect(drain(&wheel, to: y2038 + 1) == ["before", "after"])
        #expect(wheel.nextDeadline == Self.at(y2100 - 1))
        #expect(drain(&wheel, to: y2100) == ["2099", "2100"])

        var old = DeadlineWheel<String>(start: Self.at(-100), resolutionNanoseconds: 1_000)
        old.schedule(at: WheelInstant(nanoseconds: -50 * Self.second - 1), "1969")
        old.schedule(at: Self.at(5), "1970")
        #expect(old.nextDeadline == WheelInstant(nanoseconds: -50 * Self.second))
        var fired: [String] = []
        old.advance(to: Self.at(10)) { _, t in fired.append(t.payload) }
        #expect(fired == ["1969", "1970"])
        #expect(old._invariantViolations == [])
    }

    @Test("the range spans more than a century at 1 s; beyond it timers wait in overflow and are never lost")
    func range() {
        let century: Int64 = 86_400 * 36_525
        var wheel = DeadlineWheel<Int>(start: Self.at(Self.t0))
        wheel.schedule(at: Self.at(Self.t0 + 2 * century), 2)
        wheel.schedule(at: Self.at(Self.t0 + century), 1)
        #expect(wheel._invariantViolations == [])
        #expect(wheel.nextDeadline == Self.at(Self.t0 + century))
        var fired: [Int] = []
        wheel.advance(to: Self.at(Self.t0 + 2 * century)) { _, t in fired.append(t.payload) }
        #expect(fired == [1, 2])

        // Four levels span 64^4 s (about 194 days): a century waits in the overflow list.
        var small = DeadlineWheel<Int>(start: Self.at(Self.t0), levels: 4)
        small.schedule(at: Self.at(Self.t0 + century), 3)
        small.schedule(at: Self.at(Self.t0 + 100), 4)
        small.schedule(at: Self.at(Self.t0 + century), 5)
        #expect(small._invariantViolations == [])
        #expect(small.nextDeadline == Self.at(Self.t0 + 100))
        var order: [Int] = []
        small.advance(to: Self.at(Self.t0 + century - 1)) { _, t in order.append(t.payload) }
        #expect(order == [4])
        #expect(small.nextDeadline == Self.at(Self.t0 + century))
        #expect(small._invariantViolations == [])
        small.advance(to: Self.at(Self.t0 + century)) { _, t in order.append(t.payload) }
        #expect(order == [4, 3, 5])
        #expect(WheelInstant.seconds(.max) == WheelInstant(nanoseconds: .max), "seconds saturate instead of trapping")
    }

    @Test("bulk load equals scheduling one by one")
    func bulkLoad() {
        var rng = SplitMix64(seed: 7)
        let timers = (0..<5_000).map { i in (Self.at(Self.t0 + Int64.random(in: -100...1_000_000, using: &rng)), i) }
        var bulk = DeadlineWheel<Int>(start: Self.at(Self.t0))
        let handles = bulk.scheduleAll(timers)
        var single = DeadlineWheel<Int>(start: Self.at(Self.t0))
        for (at, payload) in timers { single.schedule(at: at, payload) }
        #expect(handles.count == 5_000 && bulk.count == 5_000)
        #expect(bulk._invariantViolations == [])
        #expect(bulk.deadline(of: handles[42]) == single.deadline(of: handles[42]))
        var a: [Int] = []
        var b: [Int] = []
        bulk.advance(to: Self.at(Self.t0 + 2_000_000)) { _, t in a.append(t.payload) }
        single.advance(to: Self.at(Self.t0 + 2_000_000)) { _, t in b.append(t.payload) }
        #expect(a == b)
        #expect(a.count == 5_000)
    }

    @Test("the slab reuses freed nodes: a steady state does not grow it")
    func steadyState() {
        var wheel = DeadlineWheel<Int>(start: Self.at(Self.t0), capacity: 10_000)
        var handles = (0..<10_000).map { wheel.schedule(at: Self.at(Self.t0 + Int64($0) + 1), $0) }
        func churn(_ rounds: Range<Int>) {
            for round in rounds {
                let slot = round % handles.count
                _ = wheel.cancel(handles[slot])
                handles[slot] = wheel.schedule(at: Self.at(Self.t0 + Int64(round % 977) + 1), round)
            }
        }
        // Warm-up: one full turn of the handles, until every slot has met its compaction point.
        churn(0..<20_000)
        let bytes = wheel.storageBytes
        churn(20_000..<100_000)
        #expect(wheel.storageBytes == bytes)
        #expect(wheel.bytesPerTimerExcludingPayload <= 48)
        #expect(wheel._invariantViolations == [])
    }

    @Test("configuration out of range is clamped, never a crash")
    func clamping() {
        var wheel = DeadlineWheel<Int>(start: Self.at(0), resolutionNanoseconds: 0, levels: 99)
        wheel.schedule(at: WheelInstant(nanoseconds: 5), 1)
        #expect(wheel.resolutionNanoseconds == 1)
        #expect(wheel.nextDeadline == WheelInstant(nanoseconds: 5))
        var extreme = DeadlineWheel<Int>(start: WheelInstant(nanoseconds: .max - 10), levels: 0)
        extreme.schedule(at: WheelInstant(nanoseconds: .max), 1)
        extreme.schedule(at: WheelInstant(nanoseconds: .min), 2)
        var fired: [Int] = []
        extreme.advance(to: WheelInstant(nanoseconds: .max)) { _, t in fired.append(t.payload) }
        #expect(fired == [2], "a deadline of Int64.max nanoseconds rounds up past any reachable time")
        #expect(extreme.count == 1)
        #expect(extreme._invariantViolations == [])
    }
}
