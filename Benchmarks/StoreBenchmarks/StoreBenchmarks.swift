import BanjianDomain
import BanjianStore
import BanjianWire
import Benchmark
import Foundation

/// The case log's row encoding, on the rows a create writes: the new case's record and its
/// `received` event (with the matter's terms), built outside the measured closures.
///
/// - The record (the projection) as JSON: `StreamingJSONEncoder` against Foundation's
///   `JSONEncoder` (the baseline); the two produce the same JSON value (`StreamingJSONEncoderTests`).
/// - The event as stored since migration v5, in protobuf, against its JSON actor and body as
///   stored before (the baseline), encoded and decoded.
let benchmarks: @Sendable () -> Void = {
    let township = NodeCode("341182102")!
    let actor = Actor(operatorID: "acceptor-1", name: "王受理", role: .acceptor, node: township)
    let intake = Intake(
        number: CaseNumber(origin: township, date: CivilDate(iso: "2026-11-23")!, sequence: 1)!, channel: .window,
        applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
        matter: MatterRef(code: "JS-003", name: "生育登记"), summary: "申请生育登记",
        materials: [Material(id: "m1", name: "结婚证", copies: 1, pages: 1, isMainDocument: true, status: .provided),
                    Material(id: "m2", name: "夫妻双方身份证", copies: 2, pages: 2, status: .provided)],
        terms: MatterTerms(matter: MatterRef(code: "JS-003", name: "生育登记"), authority: .township,
                           limits: CaseLimits(promised: .workingDays(5), statutory: .workingDays(10)), agencyAllowed: true,
                           requiredMaterials: [.init(name: "结婚证", isMainDocument: true), .init(name: "夫妻双方身份证")]))
    let event = CaseEvent.received(intake)
    let at = Date(timeIntervalSinceReferenceDate: 817_108_314)
    let record = try! CaseStateMachine(calendar: .chinaMainland()).apply(event, to: nil, at: at, by: actor).record
    let recorded = RecordedEvent(id: EventID(origin: township, sequence: 1), caseNumber: record.number, caseVersion: 1,
                                 occurredAt: at, actor: actor, event: event)
    let protobuf = try! recorded.protobufEncoded()
    let actorJSON = try! StreamingJSONEncoder().encode(actor)
    let eventJSON = try! StreamingJSONEncoder().encode(event)
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

    Benchmark("Event encoding: protobuf (stored since v5)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try recorded.protobufEncoded()) }
    }

    Benchmark("Event encoding: JSON actor + body, StreamingJSONEncoder (before v5, baseline)", configuration: configuration) { benchmark in
        let encoder = StreamingJSONEncoder()
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(actor))
            blackHole(try encoder.encode(event))
        }
    }

    Benchmark("Event decoding: protobuf (stored since v5)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try RecordedEvent(protobufEncoded: protobuf)) }
    }

    Benchmark("Event decoding: JSON actor + body, JSONDecoder (before v5, baseline)", configuration: configuration) { benchmark in
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.decode(Actor.self, from: actorJSON))
            blackHole(try decoder.decode(CaseEvent.self, from: eventJSON))
        }
    }

    Benchmark("Row encoding: record JSON + event protobuf (a create since v5)", configuration: configuration) { benchmark in
        let encoder = StreamingJSONEncoder()
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(record))
            blackHole(try recorded.protobufEncoded())
        }
    }
}
