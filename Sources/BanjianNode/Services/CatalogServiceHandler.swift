import BanjianDomain
import BanjianStore
import BanjianWire
import GRPCCore

/// CatalogService: reads of the node's copy of the matter catalogue.
///
/// Publishing and delegation travel over the federation (the owning node publishes, the subtree
/// receives), so this node answers them with UNIMPLEMENTED until the federation link exists;
/// `banjian init` seeds the demo catalogue.
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
        throw RPCError(code: .unimplemented, message: "publishing travels over the federation link, which this node does not run yet")
    }

    func delegateMatter(request: ServerRequest<Banjian_V1_DelegateMatterRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DelegateMatterResponse>
    {
        throw RPCError(code: .unimplemented, message: "delegation travels over the federation link, which this node does not run yet")
    }
}
