import BanjianDomain
import BanjianStore
import BanjianWire
import GRPCCore

/// CatalogService: the node's copy of the matter catalogue; at the top of the tree, publishing
/// and delegation (下放).
///
/// Only the top node (no parent) publishes, and only its leaders; each publication is a new
/// version, queued for every child in the same transaction, and every node passes the versions
/// it receives on to its own children.
struct CatalogServiceHandler: Banjian_V1_CatalogService.ServiceProtocol {
    let node: NodeContext

    func getMatter(request: ServerRequest<Banjian_V1_GetMatterRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetMatterResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let wanted = try request.message.validated()
            guard let matter = try await node.database.matter(code: wanted.code, version: wanted.version) else {
                throw RPCError(code: .notFound, message: "matter \(wanted.code)\(wanted.version.map { " version \($0)" } ?? "") not found")
            }
            return ServerResponse(message: .with { $0.matter = Banjian_V1_Matter(matter) })
        }
    }

    func listMatters(request: ServerRequest<Banjian_V1_ListMattersRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListMattersResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let query = try request.message.validated()
            let page = try await node.database.matters(query)
            var response = Banjian_V1_ListMattersResponse()
            response.matters = page.matters.map(Banjian_V1_Matter.init)
            if page.hasMore, let last = page.matters.last {
                response.nextPageToken = Banjian_V1_ListMattersRequest.pageToken(after: last.code)
            }
            return ServerResponse(message: response)
        }
    }

    func publishMatter(request: ServerRequest<Banjian_V1_PublishMatterRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_PublishMatterResponse>
    {
        try await node.rpc {
            let actor = try await publisher(request.metadata)
            let (requestID, entry) = try request.message.validated(owner: node.code)
            let now = node.now(), code = node.code
            let published = try await node.database.publishMatter(
                code: entry.code, command: "publish", requestID: requestID, operatorID: actor.operatorID, at: now
            ) { latest in try entry.published(after: latest, by: code, at: now) }
            return ServerResponse(message: .with { $0.matter = Banjian_V1_Matter(published) })
        }
    }

    func delegateMatter(request: ServerRequest<Banjian_V1_DelegateMatterRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DelegateMatterResponse>
    {
        try await node.rpc {
            let actor = try await publisher(request.metadata)
            let delegation = try request.message.validated()
            let now = node.now(), code = node.code
            let published = try await node.database.publishMatter(
                code: delegation.code, command: "delegate", requestID: delegation.requestID, operatorID: actor.operatorID, at: now
            ) { latest in
                guard let latest else { throw StoreError(.notFound, "matter_code: no matter '\(delegation.code)' in this node's catalogue") }
                return try latest.delegated(to: delegation.target, mode: delegation.mode, effectiveAt: delegation.effectiveAt ?? now,
                                            documentNumber: delegation.documentNumber, by: code, at: now)
            }
            return ServerResponse(message: .with { $0.matter = Banjian_V1_Matter(published) })
        }
    }

    func publishHolidayYear(request: ServerRequest<Banjian_V1_PublishHolidayYearRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_PublishHolidayYearResponse>
    {
        try await node.rpc {
            let actor = try await publisher(request.metadata)
            let year = try request.message.validated()
            let before = try await node.database.calendarChanges(latest: 1).last
            // Through the writer: the calendar changes between two case commands, never during one.
            _ = try await node.writer.submitAll([CaseWrite(.loadHolidayYear(year, from: nil, cursor: 0), requestID: nil, actor: actor, at: node.now())])
            let after = try await node.database.calendarChanges(latest: 1).last
            return ServerResponse(message: .with {
                $0.year = Int32(year.year)
                $0.casesReprojected = after != before ? UInt32(after?.casesReprojected ?? 0) : 0
            })
        }
    }

    /// The caller, when they may publish here: a leader of the top node of the tree.
    private func publisher(_ metadata: Metadata) async throws -> Actor {
        let actor = try await node.directory.actor(for: metadata, allowed: Role.leaders)
        if let parent = node.parent {
            throw RPCError(code: .failedPrecondition, message: "only the top of the tree publishes the catalogue; node \(node.code) receives it from \(parent)")
        }
        return actor
    }
}
