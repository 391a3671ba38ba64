import BanjianDomain
import BanjianStore
import Benchmark
import Foundation

/// The case log's row encoding: `StreamingJSONEncoder` against Foundation's `JSONEncoder` (the
/// baseline) on the rows a create writes, the new case's record and its `received` event. The
/// two produce the same JSON value (`StreamingJSONEncoderTests`); the record and event are built
/// outside the measured closures.
let benchmarks: @Sendable () -> Void = {
    let township = NodeCode("341182102")!
    let actor = Actor(operatorID: "acceptor-1", name: "王受理", role: .acceptor, node: township)
    let intake = Intake(
        number: CaseNumber(origin: township, date: CivilDate(iso: "2026-11-23")!, sequence: 1)!, channel: .window,
        applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
        matter: MatterRef(code: "JS-003", name: "生育登记"), summary: "申请生育登记",
        materials: [Material(id: "m1", name: "结婚证", copies: 1, pages: 1, isMainDocument: true, status: .provided),
                    Material(id: "m2", name: "夫妻双方身份证", copies: 2, pages: 2, status: .provided)])
    let event = CaseEvent.received(intake)
    let record = try! CaseStateMachine(calendar: .chinaMainland())
        .apply(event, to: nil, at: Date(timeIntervalSinceReferenceDate: 817_108_314), by: actor).record
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], scalingFactor: .kilo, maxDuration: .seconds(3))

    Benchmark("Row encoding: record + event, StreamingJSONEncoder", configuration: configuration) { benchmark in
        let encoder = StreamingJSONEncoder()
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(record))
            blackHole(try encoder.encode(event))
        }
    }

    Benchmark("Row encoding: record + event, Foundation JSONEncoder (baseline)", configuration: configuration) { benchmark in
        let encoder = JSONEncoder()
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(record))
            blackHole(try encoder.encode(event))
        }
    }
}
