import BanjianDomain
import Benchmark
import Foundation

/// Working-day calendar benchmarks: the O(1) `addingWorkingDays` against a naive day-by-day
/// loop over the same calendar. One iteration of each adds every n in 1...200 to 15 starts
/// spread over 2024-2026 (3 000 deadlines), so the ratio of the two shows what the prefix sums
/// buy. Setup (calendar, start instants) is outside the measured closures.
func calendarBenchmarks() {
    let calendar = WorkingCalendar.chinaMainland()
    let budgets = 1...200
    // Starts spread over the loaded years, so long budgets cross Spring Festival, National Day
    // and the end of the loaded data.
    let starts: [Date] = stride(from: 0, to: 1095, by: 73).map { offset in
        calendar.startOfDay(CivilDate(dayNumber: 19_723 + offset))  // 19 723 is 2024-01-01
    }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput],
        scalingFactor: .one,
        maxDuration: .seconds(3)
    )

    Benchmark("Calendar.addWorkingDays O(1)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for start in starts {
                for n in budgets {
                    blackHole(calendar.addingWorkingDays(n, to: start))
                }
            }
        }
    }

    Benchmark("Calendar.addWorkingDays naive loop (baseline)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for start in starts {
                for n in budgets {
                    blackHole(naiveAddingWorkingDays(n, to: start, in: calendar))
                }
            }
        }
    }

    Benchmark("Calendar.addWorkingMinutes O(1)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for start in starts {
                for n in budgets {
                    blackHole(calendar.addingWorkingMinutes(n * 390, to: start))
                }
            }
        }
    }
}

/// What a calendar without prefix sums does: step one day at a time, asking each day whether it works.
private func naiveAddingWorkingDays(_ n: Int, to start: Date, in calendar: WorkingCalendar) -> ProjectedInstant {
    var date = calendar.civilDate(of: start)
    var counted = 0
    while counted < n {
        date = date.adding(days: 1)
        if calendar.day(date).kind.isWorking { counted += 1 }
    }
    let instant = calendar.closeOfOffice(on: date)
    return ProjectedInstant(instant: instant, provisional: calendar.isProvisional(from: start, to: instant))
}
