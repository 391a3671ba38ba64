package import BanjianDomain
package import Foundation
import SwiftProtobuf

// Supervision: the overdue list.

extension Banjian_V1_ListOverdueCasesRequest {
    /// The request as a query, with every field checked.
    package func validated() throws(WireValidationError) -> OverdueQuery {
        var query = OverdueQuery()
        query.limit = try PageToken.pageSize(pageSize, "page_size", default: WireLimits.defaultPageSize, max: WireLimits.maximumPageSize)
        query.subtree = try Check.optionalNode(nodeCode, "node_code")
        try Check.count(clockKinds.count, "clock_kinds", max: WireLimits.filters)
        if !clockKinds.isEmpty {
            query.clocks = []
            for (index, kind) in clockKinds.enumerated() { query.clocks.insert(try Mappings.clock.domain(kind, "clock_kinds[\(index)]")) }
        }
        if !pageToken.isEmpty {
            let parts = try PageToken.decode(pageToken, "o1", count: 3)
            guard let bits = UInt64(parts[0], radix: 16), let number = CaseNumber(parts[1]), let clock = ClockKind(rawValue: parts[2]) else {
                throw WireValidationError("page_token", "is not a token from a previous response")
            }
            query.after = OverdueCursor(dueAt: Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits)), caseNumber: number, clock: clock)
        }
        return query
    }
}

extension OverdueCursor {
    /// The page token that continues after this clock.
    package var pageToken: String {
        PageToken.encode("o1", [String(dueAt.timeIntervalSinceReferenceDate.bitPattern, radix: 16), caseNumber.description, clock.rawValue])
    }
}

extension Banjian_V1_OverdueCase {
    package init(_ overdue: OverdueClock) {
        self.init()
        let record = overdue.record
        caseNumber = record.number.description
        nodeCode = record.holder.rawValue
        matterCode = record.matter.code
        matterName = record.matter.name
        if let kind = record.kind { self.kind = Mappings.kind.wire(kind) }
        state = Mappings.state.wire(record.state.name)
        if let assignment = record.assignment {
            department = assignment.department
            handler = Banjian_V1_Actor(assignment.handler)
        }
        clockKind = Mappings.clock.wire(overdue.clock)
        dueAt = Google_Protobuf_Timestamp(overdue.dueAt)
        overdueWorkingMinutes = overdue.overdueWorkingSeconds / 60
        overdueWorkingDays = Int32(clamping: overdue.overdueWorkingDays)
        if let rung = overdue.lastRung { lastRungKind = Mappings.rung.wire(rung) }
    }
}
