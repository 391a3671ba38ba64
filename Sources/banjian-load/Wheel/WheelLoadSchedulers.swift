import DeadlineBaseline
import DeadlineWheel

/// Namespace for the `wheel` load run's parts.
enum WheelLoad {}

extension WheelLoad {
    /// What the load run needs of a scheduler beyond `DeadlineScheduling`: a way to make one,
    /// its time, and the bulk load both schedulers offer outside the protocol.
    protocol Scheduler: DeadlineScheduling where Payload == UInt64 {
        static var label: String { get }
        var now: WheelInstant { get }
        init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int)
        mutating func scheduleAll<S: Sequence>(_ timers: S) -> [TimerHandle] where S.Element == (WheelInstant, Payload)
    }
}

extension DeadlineWheel: WheelLoad.Scheduler where Payload == UInt64 {
    static var label: String { "wheel" }

    init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: resolutionNanoseconds, levels: 6, capacity: capacity)
    }
}

extension HeapDeadlineScheduler: WheelLoad.Scheduler where Payload == UInt64 {
    static var label: String { "heap" }

    init(loadStart start: WheelInstant, resolutionNanoseconds: Int64, capacity: Int) {
        self.init(start: start, resolutionNanoseconds: resolutionNanoseconds, capacity: capacity)
    }
}
