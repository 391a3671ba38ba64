import Benchmark

/// The pure-core suites; each compares against a baseline in the same run.
let benchmarks: @Sendable () -> Void = {
    calendarBenchmarks()
}
