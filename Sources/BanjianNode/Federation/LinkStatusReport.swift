import BanjianDomain
import BanjianStore
import Foundation

/// The state of each link of a node, for `GetLinkStatus` and `banjian link status`: the live
/// state from the registry, the sequences and the outbox from the database.
struct LinkStatusReport: Sendable {
    struct Entry: Sendable {
        let peer: NodeCode
        let isParent: Bool
        let connected: Bool
        let since: Date?
        let peerSoftware: String
        let ledger: LinkLedger
    }

    /// The parent link first, then the children by code: registered ones, and any that linked.
    static func make(parent: NodeCode?, children: Set<NodeCode>, registry: LinkRegistry, database: NodeDatabase,
                     only: NodeCode?) async throws -> [Entry] {
        let live = registry.snapshot()
        let registered = try await database.children().map(\.code)
        var peers = Array(children.union(registered).union(live.keys.filter { $0 != parent })).sorted()
        if let parent { peers.insert(parent, at: 0) }
        var entries: [Entry] = []
        for peer in peers where only == nil || only == peer {
            let link = live[peer]
            entries.append(Entry(peer: peer, isParent: peer == parent, connected: link?.connected ?? false,
                                 since: link.map(\.since).flatMap { $0 == .distantPast ? nil : $0 }, peerSoftware: link?.peerSoftware ?? "",
                                 ledger: try await database.linkLedger(of: peer)))
        }
        return entries
    }
}
