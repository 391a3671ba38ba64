public import BanjianDomain
public import Foundation
import SwiftProtobuf

// The durable form of events: the wire contract's protobuf encoding, the same bytes a federation
// link carries. Old readers skip fields they do not know; renaming a Swift case changes nothing.

extension RecordedEvent {
    /// The event as a `banjian.v1.CaseEvent` message in protobuf binary encoding.
    /// - Complexity: O(size of the event).
    public func protobufEncoded() throws -> Data {
        try Banjian_V1_CaseEvent(self).serializedData()
    }

    /// An event from its protobuf encoding, every field checked as on the wire.
    /// - Throws: `WireValidationError` naming the first bad field, or SwiftProtobuf's decoding
    ///   error for bytes that are not a `CaseEvent`.
    public init(protobufEncoded data: Data) throws {
        try self.init(wire: Banjian_V1_CaseEvent(serializedBytes: data))
    }
}

extension Date {
    /// The instant as a protobuf `Timestamp` carries it (whole nanoseconds since 1970, rounded
    /// down, read back as a `Date`). Events are recorded at such instants, so an event decoded from
    /// its stored or transmitted bytes is equal to the one the node applied.
    public var protobufExact: Date {
        (try? Check.date(Google_Protobuf_Timestamp(self), "instant")) ?? self
    }
}
