package import BanjianDomain
package import Foundation
import SwiftProtobuf

/// The federation link's limits and conversions (federation.proto).
package enum LinkProtocol {
    /// The link protocol this build speaks.
    /// 2: 督办 orders, link alerts and consultations on the link, and the case events of orders and
    /// follow-ups; a node of version 1 would refuse them, so the handshake refuses it first.
    /// 3: petitions and complaints on the link.
    package static let version: UInt32 = 3
    /// The most records in one batch.
    package static let maximumRecords = 500
    /// The most bytes a batch message may take; a batch is cut before it would reach this.
    package static let maximumBatchBytes = 4 * 1024 * 1024
    /// The software version sent in Hello and HelloAck.
    package static let softwareVersion = "0.12.0"
}

extension Banjian_V1_EventBatch {
    /// A batch of `records` numbered from the first one's sequence, cut before
    /// `maximumBatchBytes`: at least one record, at most `maximumRecords`; `nil` for none.
    package static func cut(_ records: [(sequence: UInt64, payload: LinkPayload)]) -> Banjian_V1_EventBatch? {
        guard let first = records.first else { return nil }
        var batch = Banjian_V1_EventBatch()
        batch.firstSequence = first.sequence
        var bytes = 64
        for (sequence, payload) in records.prefix(LinkProtocol.maximumRecords) {
            let record = Banjian_V1_LinkRecord(payload)
            let size = (try? record.serializedBytes() as [UInt8])?.count ?? 0
            if !batch.records.isEmpty, bytes + size + 8 >= LinkProtocol.maximumBatchBytes { break }
            bytes += size + 8
            batch.records.append(record)
            batch.lastSequence = sequence
        }
        return batch
    }

    /// The batch's records, each with its link sequence, every field checked.
    /// - Parameter expected: the sequence the batch must start at.
    /// - Throws: `WireValidationError` for a batch out of order, too large, or with a bad record.
    package func payloads(expecting expected: UInt64) throws(WireValidationError) -> [(sequence: UInt64, payload: LinkPayload)] {
        guard firstSequence == expected else {
            throw WireValidationError("batch.first_sequence", "is \(firstSequence), expected \(expected)")
        }
        guard (1...LinkProtocol.maximumRecords).contains(records.count) else {
            throw WireValidationError("batch.records", "holds \(records.count) records, not 1 to \(LinkProtocol.maximumRecords)")
        }
        guard lastSequence == firstSequence + UInt64(records.count) - 1 else {
            throw WireValidationError("batch.last_sequence", "is \(lastSequence), but the batch holds \(records.count) records from \(firstSequence)")
        }
        var payloads: [(UInt64, LinkPayload)] = []
        for (index, record) in records.enumerated() {
            payloads.append((firstSequence + UInt64(index), try LinkPayload(wire: record, field: "batch.records[\(index)]")))
        }
        return payloads
    }
}

extension Banjian_V1_LinkMessage {
    package static func hello(node: NodeCode, name: String = "", resumeCursor: UInt64) -> Self {
        var hello = Banjian_V1_Hello()
        hello.nodeCode = node.rawValue
        hello.nodeName = name
        hello.level = Mappings.level.wire(node.level)
        hello.protocolVersion = LinkProtocol.version
        hello.resumeCursor = resumeCursor
        hello.softwareVersion = LinkProtocol.softwareVersion
        var message = Self()
        message.hello = hello
        return message
    }

    package static func helloAck(node: NodeCode, resumeCursor: UInt64) -> Self {
        var ack = Banjian_V1_HelloAck()
        ack.nodeCode = node.rawValue
        ack.level = Mappings.level.wire(node.level)
        ack.protocolVersion = LinkProtocol.version
        ack.resumeCursor = resumeCursor
        ack.softwareVersion = LinkProtocol.softwareVersion
        var message = Self()
        message.helloAck = ack
        return message
    }

    package static func ack(_ sequence: UInt64) -> Self {
        var message = Self()
        message.ack.ackedSequence = sequence
        return message
    }

    package static func heartbeat(at instant: Date, outboxDepth: Int) -> Self {
        var message = Self()
        message.heartbeat.sentAt = Google_Protobuf_Timestamp(instant)
        message.heartbeat.outboxDepth = UInt64(max(0, outboxDepth))
        return message
    }

    package static func batch(_ batch: Banjian_V1_EventBatch) -> Self {
        var message = Self()
        message.batch = batch
        return message
    }
}

extension Banjian_V1_NodeLevel {
    package init(_ level: NodeLevel) { self = Mappings.level.wire(level) }
}

extension Banjian_V1_CaseChannel {
    package init(_ channel: Channel) { self = Mappings.channel.wire(channel) }
}

extension Banjian_V1_Satisfaction {
    package init(_ satisfaction: Satisfaction) { self = Mappings.satisfaction.wire(satisfaction) }
}

extension Banjian_V1_LinkRecord {
    package init(_ payload: LinkPayload) {
        self.init()
        switch payload {
        case .event(let event):
            caseEvent = Banjian_V1_CaseEvent(event)
        case .matter(let matter):
            catalogUpdate.matter = Banjian_V1_Matter(matter)
            catalogUpdate.withdrawn = matter.withdrawnAt != nil
        case .holidayYear(let year):
            calendarUpdate = Banjian_V1_CalendarUpdate(year)
        case .order(let order):
            supervisionOrder = Banjian_V1_SupervisionOrder(order)
        case .consultation(let consultation):
            self.consultation = Banjian_V1_Consultation(consultation)
        case .grievance(.petition(let petition)):
            self.petition = Banjian_V1_Petition(petition, calendar: nil, now: petition.receivedAt)
        case .grievance(.complaint(let complaint)):
            self.complaint = Banjian_V1_Complaint(complaint, calendar: nil, now: complaint.receivedAt)
        case .linkAlert(let alert):
            linkAlert = .with {
                $0.reportingNodeCode = alert.reporter.rawValue
                $0.peerNodeCode = alert.peer.rawValue
                $0.downSince = Google_Protobuf_Timestamp(alert.downSince)
                $0.raisedAt = Google_Protobuf_Timestamp(alert.raisedAt)
            }
        }
    }
}

extension LinkPayload {
    /// A link record, every field checked.
    /// - Throws: `WireValidationError` naming the field, also for a record with nothing in it.
    package init(wire record: Banjian_V1_LinkRecord, field: String) throws(WireValidationError) {
        switch record.payload {
        case .caseEvent(let wire)?:
            self = .event(try RecordedEvent(wire: wire))
        case .catalogUpdate(let update)?:
            let matter = try Matter(wire: update.matter, field: "\(field).catalog_update.matter")
            guard update.withdrawn == (matter.withdrawnAt != nil) else {
                throw WireValidationError("\(field).catalog_update.withdrawn", "must say whether the matter has withdrawn_at")
            }
            self = .matter(matter)
        case .calendarUpdate(let update)?:
            self = .holidayYear(try HolidayYear(wire: update, field: "\(field).calendar_update"))
        case .supervisionOrder(let order)?:
            self = .order(try SupervisionOrder(wire: order, field: "\(field).supervision_order"))
        case .consultation(let consultation)?:
            self = .consultation(try Consultation(wire: consultation, field: "\(field).consultation"))
        case .petition(let petition)?:
            self = .grievance(try Grievance(petitionWire: petition, field: "\(field).petition"))
        case .complaint(let complaint)?:
            self = .grievance(try Grievance(complaintWire: complaint, field: "\(field).complaint"))
        case .linkAlert(let alert)?:
            let f = "\(field).link_alert"
            try Check.present(alert.hasDownSince, "\(f).down_since")
            try Check.present(alert.hasRaisedAt, "\(f).raised_at")
            self = .linkAlert(LinkAlert(reporter: try Check.node(alert.reportingNodeCode, "\(f).reporting_node_code"),
                                        peer: try Check.node(alert.peerNodeCode, "\(f).peer_node_code"),
                                        downSince: try Check.date(alert.downSince, "\(f).down_since"),
                                        raisedAt: try Check.date(alert.raisedAt, "\(f).raised_at")))
        case nil:
            throw WireValidationError(field, "is not a case event, a catalogue update, a calendar update, a 督办 order, a link alert, a consultation, a petition or a complaint; this node takes those only")
        }
    }
}

extension Banjian_V1_CalendarUpdate {
    /// A holiday year, its days in date order, for the Asia/Shanghai calendar.
    package init(_ year: HolidayYear) {
        self.init()
        self.year = Int32(year.year)
        days = year.days.sorted { $0.key < $1.key }.map { date, day in
            var wire = Banjian_V1_CalendarDay()
            wire.date = date.description
            wire.name = day.name
            wire.offDay = day.isOffDay
            return wire
        }
        timeZone = "Asia/Shanghai"
        source = year.source
    }
}

extension HolidayYear {
    /// A year from a calendar update: real dates within a year of it, each listed once.
    package init(wire w: Banjian_V1_CalendarUpdate, field f: String) throws(WireValidationError) {
        let year = Int(w.year)
        guard CivilDate.supportedYears.contains(year) else { throw WireValidationError("\(f).year", "\(w.year) is outside 1-9999") }
        try Check.count(w.days.count, "\(f).days", max: 400)
        var days: [CivilDate: DayOverride] = [:]
        for (index, day) in w.days.enumerated() {
            let path = "\(f).days[\(index)]"
            guard let date = CivilDate(iso: day.date), abs(date.year - year) <= 1 else {
                throw WireValidationError("\(path).date", "'\(day.date)' is not a real YYYY-MM-DD day within a year of \(year)")
            }
            guard days[date] == nil else { throw WireValidationError("\(path).date", "\(date) is listed twice") }
            days[date] = DayOverride(name: try Check.text(day.name, "\(path).name", max: 64), isOffDay: day.offDay)
        }
        self.init(year: year, source: try Check.text(w.source, "\(f).source", max: 2000), days: days)
    }
}

extension Banjian_V1_PublishHolidayYearRequest {
    /// The year to publish; a retry publishes nothing twice (the same year is already in force).
    package func validated() throws(WireValidationError) -> HolidayYear {
        _ = try Check.requestID(requestID)
        return try HolidayYear(wire: calendar, field: "calendar")
    }
}
