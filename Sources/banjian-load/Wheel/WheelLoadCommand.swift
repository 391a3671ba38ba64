import ArgumentParser
import DeadlineBaseline
import DeadlineWheel

/// `banjian-load wheel`: the timing wheel against the heap baseline on one seeded workload.
struct WheelLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wheel",
        abstract: "Runs the same seeded timer workload on the timing wheel and on the heap baseline.",
        discussion: """
            Bulk-loads N timers (deadlines within 30 days), then runs M operations: each schedules a \
            timer and, with probability R, cancels a random pending one before it is due; simulated \
            time advances to the next deadline whenever more than N are pending, so the rest fire. \
            Prints both schedulers side by side and fails unless both fired the same timers in the \
            same order.
            """
    )

    /// More would not fit the machine: the two schedulers run one after the other, but each
    /// holds its timers plus the run's own bookkeeping.
    static let maximumPending = 50_000_000
    /// Keeps a run within hours.
    static let maximumOperations = 1_000_000_000

    @Option(name: .customLong("pending"), help: "Timers pending (bulk-loaded, then kept at this level).")
    var pending: Int = 1_000_000

    @Option(name: .customLong("ops"), help: "Operations to run after the bulk load.")
    var operations: Int = 5_000_000

    @Option(name: .customLong("cancel-ratio"), help: "Probability that an operation cancels a pending timer (0...1).")
    var cancelRatio: Double = 0.95

    @Option(help: "Seed of the workload.")
    var seed: UInt64 = 1

    @Option(name: .customLong("resolution-ms"), help: "Scheduler resolution in milliseconds.")
    var resolutionMilliseconds: Int64 = 1_000

    func validate() throws {
        guard pending >= 1 else {
            throw ValidationError("--pending must be at least 1 (got \(pending)).")
        }
        guard pending <= Self.maximumPending else {
            throw ValidationError("--pending must be at most \(Self.maximumPending) (got \(pending)): more does not fit in memory.")
        }
        guard operations >= 0 else {
            throw ValidationError("--ops must be 0 or more (got \(operations)).")
        }
        guard operations <= Self.maximumOperations else {
            throw ValidationError("--ops must be at most \(Self.maximumOperations) (got \(operations)).")
        }
        guard cancelRatio >= 0, cancelRatio <= 1 else {
            throw ValidationError("--cancel-ratio must be between 0 and 1 (got \(cancelRatio)).")
        }
        guard resolutionMilliseconds >= 1, resolutionMilliseconds <= 86_400_000 else {
            throw ValidationError("--resolution-ms must be between 1 and 86400000 (got \(resolutionMilliseconds)).")
        }
    }

    var parameters: WheelLoad.Parameters {
        WheelLoad.Parameters(
            pending: pending, operations: operations, cancelRatio: cancelRatio, seed: seed,
            resolutionNanoseconds: resolutionMilliseconds * 1_000_000
        )
    }

    func run() throws {
        let parameters = parameters
        let wheel = WheelLoad.run(DeadlineWheel<UInt64>.self, parameters)
        let heap = WheelLoad.run(HeapDeadlineScheduler<UInt64>.self, parameters)
        print(WheelLoad.report(parameters, wheel: wheel, heap: heap))
        guard let verdict = WheelLoad.verdict(wheel: wheel, heap: heap) else {
            print("fire order: identical (\(wheel.fired) fired, hash \(WheelLoad.hex(wheel.fireHash)))")
            return
        }
        print("fire order: DIFFERENT: \(verdict)")
        throw ExitCode.failure
    }
}

extension WheelLoad {
    /// Why the two runs disagree, or `nil` when they fired the same timers in the same order.
    static func verdict(wheel: Outcome, heap: Outcome) -> String? {
        var problems: [String] = []
        if wheel.fired != heap.fired { problems.append("fired \(wheel.fired) vs \(heap.fired)") }
        if wheel.fireHash != heap.fireHash { problems.append("hash \(hex(wheel.fireHash)) vs \(hex(heap.fireHash))") }
        if wheel.pendingAtEnd != heap.pendingAtEnd { problems.append("pending at end \(wheel.pendingAtEnd) vs \(heap.pendingAtEnd)") }
        if wheel.cancelled != heap.cancelled { problems.append("cancelled \(wheel.cancelled) vs \(heap.cancelled)") }
        if wheel.staleDraws != heap.staleDraws { problems.append("stale cancel draws \(wheel.staleDraws) vs \(heap.staleDraws)") }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// The side-by-side table.
    static func report(_ parameters: Parameters, wheel: Outcome, heap: Outcome) -> String {
        let pending = Double(parameters.pending)
        let operations = Double(parameters.operations)
        func nanoseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
        }
        func perSecond(_ count: Double, _ duration: Duration) -> Double {
            let ns = nanoseconds(duration)
            return ns > 0 ? count * 1e9 / ns : 0
        }
        func ratio(_ wheel: Double, _ heap: Double) -> String { heap > 0 ? fixed(wheel / heap, 2) + "×" : "-" }

        let wheelLoadRate = perSecond(pending, wheel.bulkLoad)
        let heapLoadRate = perSecond(pending, heap.bulkLoad)
        let wheelOpsRate = perSecond(operations, wheel.operations)
        let heapOpsRate = perSecond(operations, heap.operations)
        let wheelBytes = (Double(wheel.bytesAfterLoad) / pending, Double(wheel.bytesAtEnd) / pending)
        let heapBytes = (Double(heap.bytesAfterLoad) / pending, Double(heap.bytesAtEnd) / pending)

        let rows: [(String, String, String, String)] = [
            ("bulk load (ms)", fixed(nanoseconds(wheel.bulkLoad) / 1e6, 1), fixed(nanoseconds(heap.bulkLoad) / 1e6, 1), ""),
            ("bulk load ns/timer", fixed(nanoseconds(wheel.bulkLoad) / pending, 1), fixed(nanoseconds(heap.bulkLoad) / pending, 1),
             ratio(wheelLoadRate, heapLoadRate) + " throughput"),
            ("ops/s", grouped(wheelOpsRate), grouped(heapOpsRate), ratio(wheelOpsRate, heapOpsRate) + " throughput"),
            ("ns/op", operations > 0 ? fixed(nanoseconds(wheel.operations) / operations, 1) : "-",
             operations > 0 ? fixed(nanoseconds(heap.operations) / operations, 1) : "-", ""),
            ("bytes/timer after load", fixed(wheelBytes.0, 1), fixed(heapBytes.0, 1), ratio(wheelBytes.0, heapBytes.0)),
            ("bytes/timer at end", fixed(wheelBytes.1, 1), fixed(heapBytes.1, 1), ratio(wheelBytes.1, heapBytes.1)),
            ("fired", grouped(Double(wheel.fired)), grouped(Double(heap.fired)), ""),
            ("cancelled", grouped(Double(wheel.cancelled)), grouped(Double(heap.cancelled)), ""),
            ("cancels of fired timers", grouped(Double(wheel.staleDraws)), grouped(Double(heap.staleDraws)), ""),
            ("pending at end", grouped(Double(wheel.pendingAtEnd)), grouped(Double(heap.pendingAtEnd)), ""),
        ]
        let header = (
            "",
            wheel.label,
            heap.label,
            "\(wheel.label)/\(heap.label)"
        )
        let first = max(header.0.count, rows.map(\.0.count).max() ?? 0)
        let second = max(header.1.count, rows.map(\.1.count).max() ?? 0)
        let third = max(header.2.count, rows.map(\.2.count).max() ?? 0)
        func line(_ row: (String, String, String, String)) -> String {
            let text = pad(row.0, first, left: true) + "  " + pad(row.1, second) + "  " + pad(row.2, third) + "  " + row.3
            return String(text.reversed().drop { $0 == " " }.reversed())
        }
        let title = "wheel vs heap: \(grouped(pending)) pending, \(grouped(operations)) ops, cancel ratio "
            + "\(parameters.cancelRatio), seed \(parameters.seed), resolution \(parameters.resolutionNanoseconds / 1_000_000) ms, "
            + "deadlines within 30 days"
        return ([title, line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        var text = (value < 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// A whole number with thousands separators.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let digits = String(Int(value.rounded()))
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return result
    }
}
