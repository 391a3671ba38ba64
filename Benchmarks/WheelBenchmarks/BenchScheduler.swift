import DeadlineBaseline
import DeadlineWheel

/// What the workloads need of a scheduler beyond `DeadlineScheduling`: a way to make one, and
/// the bulk load both schedulers offer outside the protocol.
protocol BenchScheduler: DeadlineScheduling where Payload == UInt64 {
    /// The benchmark name prefix: `Wheel` or `Heap`.
    static var label: String { get }
    /// The scheduler's time: the last `advance` target.
    var now: WheelInstant { get }
    /// An empty scheduler at 1 s resolution with room for `capacity` timers.
    init(benchmarkStart start: WheelInstant, capacity: Int)
    var isEmpty: Bool { get }
    mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload)
}

extension DeadlineWheel: BenchScheduler where Payload == UInt64 {
    static var label: String { "Wheel" }

    init(benchmarkStart start: WheelInstant, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: 1_000_000_000, levels: 6, capacity: capacity)
    }
}

extension HeapDeadlineScheduler: BenchScheduler where Payload == UInt64 {
    static var label: String { "Heap" }

    init(benchmarkStart start: WheelInstant, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: 1_000_000_000, capacity: capacity)
    }
}
