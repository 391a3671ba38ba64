package import BanjianDomain
package import Foundation

// Validation of the read requests: filters, page sizes and page tokens.

extension CaseCursor {
    /// The page token that continues after this case.
    package var pageToken: String {
        PageToken.encode("c1", [String(receivedAt.timeIntervalSinceReferenceDate.bitPattern, radix: 16), number])
    }
}

extension Banjian_V1_ListCasesRequest {
    /// The request as a query, with every field checked.
    package func validated() throws(WireValidationError) -> CaseQuery {
        var query = CaseQuery()
        query.limit = try PageToken.pageSize(pageSize, "page_size", default: WireLimits.defaultPageSize, max: WireLimits.maximumPageSize)
        if !pageToken.isEmpty {
            let parts = try PageToken.decode(pageToken, "c1", count: 2)
            guard let bits = UInt64(parts[0], radix: 16), CaseNumber(parts[1]) != nil else {
                throw WireValidationError("page_token", "is not a token from a previous response")
            }
            query.after = CaseCursor(receivedAt: Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits)), number: parts[1])
        }
        query.holderSubtree = try Check.optionalNode(nodeCode, "node_code")
        try Check.count(states.count, "states", max: WireLimits.filters)
        for (index, state) in states.enumerated() { query.states.insert(try Mappings.state.domain(state, "states[\(index)]")) }
        try Check.count(kinds.count, "kinds", max: WireLimits.filters)
        for (index, kind) in kinds.enumerated() { query.kinds.insert(try Mappings.kind.domain(kind, "kinds[\(index)]")) }
        if !matterCode.isEmpty { query.matterCode = try Check.token(matterCode, "matter_code", max: WireLimits.matterCode, extra: "-.") }
        if !handlerOperatorID.isEmpty {
            query.handlerOperatorID = try Check.text(handlerOperatorID, "handler_operator_id", max: WireLimits.name)
        }
        query.overdueOnly = overdueOnly
        if hasReceived {
            if received.hasStart { query.receivedFrom = try Check.date(received.start, "received.start") }
            if received.hasEnd { query.receivedBefore = try Check.date(received.end, "received.end") }
            if let from = query.receivedFrom, let before = query.receivedBefore, before < from {
                throw WireValidationError("received.end", "is before received.start")
            }
        }
        return query
    }
}

extension Banjian_V1_ListCaseEventsRequest {
    /// The case, the version to continue after, and the page size.
    package func validated() throws(WireValidationError) -> (number: CaseNumber, afterVersion: UInt64, pageSize: Int) {
        let number = try Check.caseNumber(caseNumber, "case_number")
        let size = try PageToken.pageSize(pageSize, "page_size", default: 200, max: 1000)
        guard !pageToken.isEmpty else { return (number, 0, size) }
        let parts = try PageToken.decode(pageToken, "e1", count: 1)
        guard let version = UInt64(parts[0]) else { throw WireValidationError("page_token", "is not a token from a previous response") }
        return (number, version, size)
    }

    /// The token that continues after `version`.
    package static func pageToken(after version: UInt64) -> String { PageToken.encode("e1", [String(version)]) }
}

extension Banjian_V1_ListMattersRequest {
    /// The request as a query, with every field checked.
    package func validated() throws(WireValidationError) -> MatterQuery {
        var query = MatterQuery()
        query.limit = try PageToken.pageSize(pageSize, "page_size", default: WireLimits.defaultPageSize, max: WireLimits.maximumPageSize)
        query.afterCode = pageToken.isEmpty ? nil : try PageToken.decode(pageToken, "m1", count: 1)[0]
        query.department = department.isEmpty ? nil : try Check.text(department, "department", max: WireLimits.department)
        query.authority = level == .unspecified ? nil : try Mappings.level.domain(level, "level")
        query.agencyAllowedOnly = agencyAllowedOnly
        return query
    }

    /// The token that continues after the matter `code`.
    package static func pageToken(after code: String) -> String { PageToken.encode("m1", [code]) }
}

extension Banjian_V1_GetMatterRequest {
    /// The matter code and version (`nil`: the current one).
    package func validated() throws(WireValidationError) -> (code: String, version: Int?) {
        (try Check.token(matterCode, "matter_code", max: WireLimits.matterCode, extra: "-."), version == 0 ? nil : Int(version))
    }
}

extension Banjian_V1_GetCaseRequest {
    package func validated() throws(WireValidationError) -> CaseNumber { try Check.caseNumber(caseNumber, "case_number") }
}

extension Banjian_V1_WatchCaseRequest {
    package func validated() throws(WireValidationError) -> CaseNumber { try Check.caseNumber(caseNumber, "case_number") }
}

/// Opaque page tokens: base64url of a kind tag and its parts. A client must not build them.
package enum PageToken {
    static func encode(_ kind: String, _ parts: [String]) -> String {
        Data(([kind] + parts).joined(separator: "\u{1F}").utf8).base64URLEncodedString()
    }

    static func decode(_ token: String, _ kind: String, count: Int) throws(WireValidationError) -> [String] {
        let invalid = WireValidationError("page_token", "is not a token from a previous response")
        guard token.utf8.count <= WireLimits.pageToken else { throw invalid }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count + 1, parts[0] == kind else { throw invalid }
        return Array(parts.dropFirst())
    }

    static func pageSize(_ value: Int32, _ field: String, default defaultSize: Int, max: Int) throws(WireValidationError) -> Int {
        if value == 0 { return defaultSize }
        return try Check.range(Int(value), field, 1...max)
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5): safe in URLs, headers and file names.
    package func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
