import Benchmark

/// The deadline scheduler suites: every workload runs on the timing wheel and on the heap
/// baseline in the same run, at 10k, 1M and 10M pending timers; the ratio is the result.
let benchmarks: @Sendable () -> Void = {
    schedulerBenchmarks()
}
