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

extension Banjian_V1_WatchAlertsRequest {
    /// The request as a query, with every field checked.
    package func validated() throws(WireValidationError) -> AlertQuery {
        var query = AlertQuery()
        query.subtree = try Check.optionalNode(nodeCode, "node_code")
        try Check.count(rungKinds.count, "rung_kinds", max: WireLimits.filters)
        for (index, kind) in rungKinds.enumerated() { query.rungs.insert(try Mappings.rung.domain(kind, "rung_kinds[\(index)]")) }
        if !resumeToken.isEmpty {
            let parts = try PageToken.decode(resumeToken, "a1", count: 1)
            guard let sequence = Int64(parts[0]), sequence >= 0 else {
                throw WireValidationError("resume_token", "is not a token from a previous response")
            }
            query.afterSequence = sequence
        } else if hasSince {
            query.since = try Check.date(since, "since")
        }
        return query
    }
}

extension SupervisionAlert {
    /// The token that resumes a stream after this alert.
    package var resumeToken: String { PageToken.encode("a1", [String(sequence)]) }
}

extension Banjian_V1_Alert {
    /// The alert, tagged with the case's holder, window, handler and matter; `dueAt` is a rung's
    /// clock's due instant through the node's calendar, if it has one.
    package init(_ alert: SupervisionAlert, dueAt: Date?) {
        self.init()
        firedAt = Google_Protobuf_Timestamp(alert.raisedAt)
        switch alert.kind {
        case .linkDown(let link):
            kind = .linkDown
            nodeCode = link.peer.rawValue
            reportingNodeCode = link.reporter.rawValue
            downSince = Google_Protobuf_Timestamp(link.downSince)
        case .grievance(let reason, let record, let version):
            nodeCode = record.node.rawValue
            caseNumber = record.number.description
            recordVersion = version
            switch reason {
            case .rung(let key): setRung(key, dueAt: dueAt)
            case .dissatisfied: kind = .dissatisfied
            case .escalated: kind = .complaintEscalated
            case .groupVisit: kind = .groupVisit
            }
            department = record.department
            if let handler = record.handler { self.handler = Banjian_V1_Actor(handler) }
        case .rung, .caseAlert:
            guard let record = alert.record, let event = alert.event else { return }
            eventID.originNodeCode = event.origin.rawValue
            eventID.originSequence = event.sequence
            nodeCode = record.holder.rawValue
            caseNumber = record.number.description
            switch alert.kind {
            case .rung(let key): setRung(key, dueAt: dueAt)
            case .caseAlert(.returned): kind = .returned
            case .caseAlert(.dissatisfied): kind = .dissatisfied
            case .linkDown, .grievance: break
            }
            if let assignment = record.assignment {
                handler = Banjian_V1_Actor(assignment.handler)
                department = assignment.department
            }
            matterCode = record.matter.code
            matterName = record.matter.name
        }
    }

    /// A rung alert: its clock, its rung and the clock's due instant.
    private mutating func setRung(_ key: RungKey, dueAt: Date?) {
        kind = .rung
        clockKind = Mappings.clock.wire(key.clock)
        rungKind = Mappings.rung.wire(key.rung)
        if let dueAt { self.dueAt = Google_Protobuf_Timestamp(dueAt) }
    }
}
