import BanjianDomain
@testable import BanjianStore
import BanjianTestSupport
import Foundation
import Testing

/// The case log's JSON encoder writes what Foundation's `JSONEncoder` writes (up to key order
/// and number spelling), so `JSONDecoder` reads every row back unchanged.
@Suite struct StreamingJSONEncoderTests {
    typealias F = Fixture

    /// Both encodings parse to the same JSON value, and ours decodes back to `value`.
    static func check<Value: Codable & Equatable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try StreamingJSONEncoder().encode(value)
        let foundation = try JSONEncoder().encode(value)
        let parsedOurs = try JSONSerialization.jsonObject(with: ours, options: [.fragmentsAllowed])
        let parsedFoundation = try JSONSerialization.jsonObject(with: foundation, options: [.fragmentsAllowed])
        #expect(NSArray(array: [parsedOurs]).isEqual(to: [parsedFoundation]),
                "\(String(decoding: ours, as: UTF8.self))\nvs\n\(String(decoding: foundation, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(try JSONDecoder().decode(Value.self, from: ours) == value, sourceLocation: sourceLocation)
    }

    @Test func everyRecordAndEventOfACaseMatchesFoundation() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            _ = try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 10))
            _ = try await store.apply(.specialStepStarted(kind: .siteSurvey, note: "现场踏勘 \"甲\"\n第二行", expectedEndAt: nil),
                                      to: number, by: F.handler, at: F.at("2025-03-11", 10))
            _ = try await store.apply(.specialStepEnded(outcome: "符合条件"), to: number, by: F.handler, at: F.at("2025-03-12", 10))
            _ = try await store.apply(.extensionRequested(clock: .promised, workingDays: 3, reason: "需要补充调查"),
                                      to: number, by: F.handler, at: F.at("2025-03-12", 11))
            _ = try await store.apply(.extensionDecided(approved: true, note: "同意"), to: number, by: F.actor(.deputy), at: F.at("2025-03-12", 15))
            _ = try await store.apply(.urged(reason: "请加快", directorInstruction: Opinion(text: "限期办结")), to: number, by: F.actor(.deputy), at: F.at("2025-03-13", 9))
            _ = try await store.apply(
                .completed(Decision(outcome: .approved, summary: "准予", handlingOpinion: "同意", review: Opinion(text: "复核无误"))),
                to: number, by: F.handler, at: F.at("2025-03-13", 10))
            let events = try await store.database.events(of: number)
            #expect(events.count == 8)
            for recorded in events {
                try Self.check(recorded.event)
                try Self.check(recorded.actor)
            }
            try Self.check(try #require(try await store.database.caseRecord(number)))
        }
    }

    struct Sample: Codable, Equatable {
        enum Shape: Codable, Equatable {
            case point
            case circle(radius: Double)
            case labelled(String, Int8)
        }

        var text: String
        var optional: String?
        var numbers: [Double]
        var small: [Float]
        var integers: [Int64]
        var unsigned: UInt16
        var flags: [Bool]
        var shapes: [Shape]
        var byName: [String: Int]
        var byNumber: [Int: String]
        var when: Date
        var nested: [[String]]
        var empty: [String: String]
    }

    @Test func edgeCasesMatchFoundation() throws {
        try Self.check(Sample(
            text: "quote \" backslash \\ slash / newline \n tab \t bell \u{07} nul \u{00} 中文 🙂",
            optional: nil,
            numbers: [0, -0.0, 0.1, 1e-300, 1e300, 817_108_314.778_004_2, -1.5, 123_456_789_012_345_680],
            small: [0.1, 3.4e38, -1e-10],
            integers: [.min, -1, 0, .max],
            unsigned: .max,
            flags: [true, false],
            shapes: [.point, .circle(radius: 2.5), .labelled("甲", -8)],
            byName: ["a": 1, "键 \"q\"": 2],
            byNumber: [3: "three", -1: "minus one"],
            when: Date(timeIntervalSinceReferenceDate: 817_108_314.778_004_2),
            nested: [[], ["x"], ["y", "z"]],
            empty: [:]))
        try Self.check("a bare string")
        try Self.check([Int]())
        try Self.check(Optional<Int>.none)
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": Float.infinity]) }
    }
}
