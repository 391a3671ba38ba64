import BanjianDomain
@testable import BanjianWire
import Foundation
import Testing

/// Link batches: their limits, their checks, and the records they carry.
@Suite("Link batches") struct LinkWireTests {
    static func event(_ sequence: UInt64, summary: String = "申请城乡最低生活保障") -> RecordedEvent {
        var intake = W.intake
        intake.summary = summary
        return RecordedEvent(id: EventID(origin: W.township, sequence: sequence), caseNumber: W.number, caseVersion: 1,
                             occurredAt: W.at("2025-03-10").protobufExact, actor: W.actor(.acceptor), event: .received(intake))
    }

    @Test("a batch holds at most 500 records and stays under 4 MiB")
    func limits() throws {
        let many = (1...600).map { (UInt64($0), LinkPayload.event(Self.event(UInt64($0)))) }
        let full = try #require(Banjian_V1_EventBatch.cut(many))
        #expect(full.records.count == 500 && full.firstSequence == 1 && full.lastSequence == 500)
        // Records of 300 KB each: 13 fit under 4 MiB.
        let large = (1...20).map { (UInt64($0), LinkPayload.event(Self.event(UInt64($0), summary: String(repeating: "办", count: 100_000)))) }
        let cut = try #require(Banjian_V1_EventBatch.cut(large))
        #expect(try (cut.serializedBytes() as [UInt8]).count < LinkProtocol.maximumBatchBytes)
        #expect(cut.records.count == 13 && cut.lastSequence == 13)
        #expect(Banjian_V1_EventBatch.cut([]) == nil)
    }

    @Test("every record decodes to what was sent: events, matter versions, holiday years")
    func roundTrip() throws {
        let year = HolidayYear(year: 2027, source: "国办发明电〔2026〕1号",
                               days: [CivilDate(iso: "2027-01-01")!: DayOverride(name: "元旦", isOffDay: true),
                                      CivilDate(iso: "2027-02-07")!: DayOverride(name: "春节", isOffDay: false)])
        let sent: [(UInt64, LinkPayload)] = [(7, .event(Self.event(1))), (8, .holidayYear(year))]
        let batch = try Banjian_V1_EventBatch(serializedBytes: try #require(Banjian_V1_EventBatch.cut(sent)).serializedBytes() as [UInt8])
        let received = try batch.payloads(expecting: 7)
        #expect(received.map(\.sequence) == [7, 8])
        #expect(received.map(\.payload) == sent.map(\.1))
    }

    @Test("a batch out of sequence, miscounted, empty, or with a record this node does not take is refused, naming the field")
    func refusals() throws {
        let batch = try #require(Banjian_V1_EventBatch.cut([(UInt64(5), .event(Self.event(1)))]))
        #expect(throws: WireValidationError("batch.first_sequence", "is 5, expected 4")) { try batch.payloads(expecting: 4) }
        var miscounted = batch
        miscounted.lastSequence = 9
        #expect(throws: WireValidationError.self) { try miscounted.payloads(expecting: 5) }
        var empty = Banjian_V1_EventBatch()
        empty.firstSequence = 1
        #expect(throws: WireValidationError("batch.records", "holds 0 records, not 1 to 500")) { try empty.payloads(expecting: 1) }
        var order = batch
        order.records[0].supervisionOrder = Banjian_V1_SupervisionOrder()
        #expect(throws: WireValidationError.self) { try order.payloads(expecting: 5) }
        var badDay = batch
        var update = Banjian_V1_CalendarUpdate()
        update.year = 2027
        update.days = [.with { $0.date = "2027-02-30"; $0.name = "假"; $0.offDay = true }]
        badDay.records[0].calendarUpdate = update
        #expect(throws: WireValidationError.self) { try badDay.payloads(expecting: 5) }
    }
}
