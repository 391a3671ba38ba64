import DeadlineWheel

/// The obviously-correct model the wheel is compared against: a dictionary of pending timers;
/// `advance` sorts the due ones by (tick, schedule sequence).
struct ReferenceScheduler {
    struct Entry {
        var tick: Int64
        var sequence: Int
        var payload: Int
    }

    let resolution: Int64
    var now: Int64
    var pending: [Int: Entry] = [:]
    var sequence = 0

    init(start: Int64, resolution: Int64) {
        self.resolution = resolution
        now = Self.floor(start, resolution)
    }

    static func floor(_ value: Int64, _ resolution: Int64) -> Int64 {
        let quotient = value / resolution
        return value % resolution < 0 ? quotient - 1 : quotient
    }

    static func ceil(_ value: Int64, _ resolution: Int64) -> Int64 {
        let quotient = value / resolution
        return value % resolution > 0 ? quotient + 1 : quotient
    }

    mutating func schedule(id: Int, at nanoseconds: Int64, payload: Int) {
        sequence += 1
        pending[id] = Entry(tick: max(Self.ceil(nanoseconds, resolution), now), sequence: sequence, payload: payload)
    }

    mutating func cancel(id: Int) -> Int? { pending.removeValue(forKey: id)?.payload }

    mutating func reschedule(id: Int, to nanoseconds: Int64) -> Bool {
        guard pending[id] != nil else { return false }
        sequence += 1
        pending[id]?.tick = max(Self.ceil(nanoseconds, resolution), now)
        pending[id]?.sequence = sequence
        return true
    }

    /// The ids that fire, in order.
    mutating func advance(to nanoseconds: Int64) -> [Int] {
        let target = Self.floor(nanoseconds, resolution)
        guard target >= now else { return [] }
        now = target
        let due = pending.filter { $0.value.tick <= target }.sorted { ($0.value.tick, $0.value.sequence) < ($1.value.tick, $1.value.sequence) }
        for (id, _) in due { pending[id] = nil }
        return due.map(\.key)
    }

    var nextTick: Int64? { pending.values.map(\.tick).min() }
}
