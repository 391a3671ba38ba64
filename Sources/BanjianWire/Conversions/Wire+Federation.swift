package import BanjianDomain
package import Foundation
import SwiftProtobuf

/// The federation link's limits and conversions (federation.proto).
package enum LinkProtocol {
    /// The link protocol this build speaks.
    package static let version: UInt32 = 1
    /// The most records in one batch.
    package static let maximumRecords = 500
    /// The most bytes a batch message may take; a batch is cut before it would reach this.
    package static let maximumBatchBytes = 4 * 1024 * 1024
    /// The software version sent in Hello and HelloAck.
    package static let softwareVersion = "0.12.0"
}

extension Banjian_V1_EventBatch {
    /// A batch of `records` numbered from the first one's sequence, cut before
    /// `maximumBatchBytes`: at least one record, at most `maximumRecords`.
    /// - Returns: the batch and how many of `records` it holds.
    package static func cut(_ records: [(sequence: UInt64, payload: LinkPayload)]) -> (batch: Banjian_V1_EventBatch, count: Int)? {
        guard let first = records.first else { return nil }
        var batch = Banjian_V1_EventBatch()
        batch.firstSequence = first.sequence
        var bytes = 64
        for (sequence, payload) in records.prefix(LinkProtocol.maximumRecords) {
            var record = Banjian_V1_LinkRecord()
            switch payload {
            case .event(let event):
                record.caseEvent = Banjian_V1_CaseEvent(event)
            case .matter(let matter):
                record.catalogUpdate.matter = Banjian_V1_Matter(matter)
                record.catalogUpdate.withdrawn = matter.withdrawnAt != nil
            }
            let size = (try? record.serializedBytes() as [UInt8])?.count ?? 0
            if !batch.records.isEmpty, bytes + size + 8 >= LinkProtocol.maximumBatchBytes { break }
            bytes += size + 8
            batch.records.append(record)
            batch.lastSequence = sequence
        }
        return (batch, batch.records.count)
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
            let field = "batch.records[\(index)]"
            switch record.payload {
            case .caseEvent(let wire)?:
                payloads.append((firstSequence + UInt64(index), .event(try RecordedEvent(wire: wire))))
            case .catalogUpdate(let update)?:
                let matter = try Matter(wire: update.matter, field: "\(field).catalog_update.matter")
                guard update.withdrawn == (matter.withdrawnAt != nil) else {
                    throw WireValidationError("\(field).catalog_update.withdrawn", "must say whether the matter has withdrawn_at")
                }
                payloads.append((firstSequence + UInt64(index), .matter(matter)))
            default:
                throw WireValidationError(field, "is neither a case event nor a catalogue update; this node takes those only")
            }
        }
        return payloads
    }
}

extension Banjian_V1_LinkMessage {
    package static func hello(node: NodeCode, resumeCursor: UInt64) -> Self {
        var hello = Banjian_V1_Hello()
        hello.nodeCode = node.rawValue
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
