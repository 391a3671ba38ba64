import DeadlineBaseline
import DeadlineWheel
import Testing

/// The wheel against the reference model: the same operations, the same fire order.
@Suite("DeadlineWheel vs reference model")
struct DeadlineWheelModelTests {
    struct Config: Sendable, CustomStringConvertible {
        let levels: Int
        let resolution: Int64
        let horizon: Int64      // how far ahead deadlines go, in nanoseconds
        let maxPending: Int
        var description: String { "levels \(levels), resolution \(resolution)ns, horizon \(horizon)ns" }
    }

    static let second: Int64 = 1_000_000_000
    static let configs: [Config] = [
        Config(levels: 6, resolution: second, horizon: 40 * 86_400 * second, maxPending: 300),      // the default: days ahead
        Config(levels: 6, resolution: second, horizon: 200, maxPending: 300),                        // sub-tick deadlines
        Config(levels: 2, resolution: second, horizon: 20_000 * second, maxPending: 300),            // overflow beyond 4,096 ticks
        Config(levels: 1, resolution: 1_000, horizon: 500_000, maxPending: 100),                     // a one-level wheel: mostly overflow
        Config(levels: 3, resolution: 7, horizon: 3_000_000, maxPending: 200),                       // odd resolution
    ]

    /// Runs `operations` random operations on the wheel and the model; returns how many fired.
    @discardableResult
    static func run(_ config: Config, seed: UInt64, operations: Int, checkEveryOperation: Bool) -> Int {
        var rng = SplitMix64(seed: seed)
        let start = Int64.random(in: -1_000_000 * second...4_102_444_800 * second, using: &rng) // 1938…2100
        var wheel = DeadlineWheel<Int>(start: WheelInstant(nanoseconds: start), resolutionNanoseconds: config.resolution, levels: config.levels)
        var model = ReferenceScheduler(start: start, resolution: config.resolution)
        var handles: [Int: TimerHandle] = [:]
        var dead: [TimerHandle] = []
        var now = start
        var nextID = 0
        var firedTotal = 0
        func deadline() -> Int64 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: now - Int64.random(in: 0...config.horizon, using: &rng) // in the past
            case 1: now                                                      // exactly now
            case 2: now + Int64.random(in: 0...3, using: &rng) * config.resolution // a few ticks, often equal
            default: now + Int64.random(in: 0...config.horizon, using: &rng)
            }
        }
        for step in 0..<operations {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 40 || handles.isEmpty {
                guard handles.count < config.maxPending else { continue }
                let at = deadline()
                let handle = wheel.schedule(at: WheelInstant(nanoseconds: at), nextID)
                model.schedule(id: nextID, at: at, payload: nextID)
                handles[nextID] = handle
                nextID += 1
            } else if roll < 65, let id = handles.keys.randomElement(using: &rng), let handle = handles[id] {
                #expect(wheel.cancel(handle) == model.cancel(id: id), "seed \(seed) step \(step)")
                handles[id] = nil
                dead.append(handle)
            } else if roll < 80, let id = handles.keys.randomElement(using: &rng), let handle = handles[id] {
                let at = deadline()
                #expect(wheel.reschedule(handle, to: WheelInstant(nanoseconds: at)) == model.reschedule(id: id, to: at))
            } else if roll < 83, let handle = dead.randomElement(using: &rng) {
                // A stale handle: nothing happens.
                let before = wheel.count
                #expect(wheel.cancel(handle) == nil)
                #expect(wheel.reschedule(handle, to: WheelInstant(nanoseconds: now)) == false)
                #expect(wheel.count == before)
            } else {
                // Time stops short of Int64.max (about year 2262) so deadlines stay representable.
                let huge = Int.random(in: 0..<20, using: &rng) == 0
                let jump: Int64 = now > 8_000_000_000 * second ? 0
                    : huge ? Int64.random(in: 0...(config.horizon * 3), using: &rng)
                    : Int64.random(in: 0...(config.horizon / 50 + config.resolution), using: &rng)
                now += jump
                var order: [Int] = []
                let fired = wheel.advance(to: WheelInstant(nanoseconds: now)) { _, timer in order.append(timer.payload) }
                let expected = model.advance(to: now)
                #expect(order == expected, "seed \(seed) step \(step): fire order differs")
                #expect(fired == expected.count)
                for id in expected {
                    if let handle = handles.removeValue(forKey: id) { dead.append(handle) }
                }
                firedTotal += fired
                if !checkEveryOperation { #expect(wheel._invariantViolations == [], "seed \(seed) step \(step)") }
            }
            if dead.count > 1_000 { dead.removeFirst(500) }
            if checkEveryOperation { #expect(wheel._invariantViolations == [], "seed \(seed) step \(step)") }
            #expect(wheel.count == model.pending.count)
            #expect(wheel.nextDeadline?.nanoseconds == model.nextTick.map { $0 * config.resolution }, "seed \(seed) step \(step)")
        }
        return firedTotal
    }

    @Test("small runs with invariants checked after every operation", arguments: configs.indices)
    func smallRuns(_ configIndex: Int) {
        var fired = 0
        for seed in 0..<40 {
            fired += Self.run(Self.configs[configIndex], seed: UInt64(configIndex * 1000 + seed), operations: 1_500, checkEveryOperation: true)
        }
        #expect(fired > 1_000, "the runs must fire timers, fired \(fired)")
    }

    @Test("two million operations compared with the model", arguments: [0, 2])
    func longRuns(_ configIndex: Int) {
        let fired = Self.run(Self.configs[configIndex], seed: 99 + UInt64(configIndex), operations: 1_000_000, checkEveryOperation: false)
        #expect(fired > 10_000)
    }
}
