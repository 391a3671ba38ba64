import ArgumentParser
import BanjianNode
import BanjianWire
import Foundation

/// `banjian link status`: the node's federation links, as the node sees them.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Show the node's federation links.",
        subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each link: up or down since when, outbox depth and lag, last ack, last record applied, the peer's version.",
            discussion: "Exit codes: 0 done; 69 node unreachable; 77 not permitted; 66 no such link; 1 any other refusal.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "Only the link with this node.") var peer: String?

        func run() async throws {
            let json = connection.json
            let peer = peer
            try await connection.call { client in
                let response = try await client.supervision.getLinkStatus(.with { $0.peerNodeCode = peer ?? "" }, metadata: client.metadata)
                if json {
                    print(String(decoding: try JSONSerialization.data(withJSONObject: response.links.map(Self.object), options: [.sortedKeys]),
                                 as: UTF8.self))
                } else {
                    Self.table(response.links)
                }
            }
        }

        static func object(_ link: Banjian_V1_LinkStatus) -> [String: Any] {
            var object: [String: Any] = [
                "peer": link.peerNodeCode, "direction": link.direction == .parent ? "parent" : "child",
                "state": link.state == .connected ? "connected" : "down", "outboxDepth": link.outboxDepth,
                "lagSeconds": Double(link.lag.seconds) + Double(link.lag.nanos) / 1e9,
                "lastAckedSequence": link.lastAckedSequence, "lastAppliedSequence": link.lastAppliedSequence,
                "peerSoftwareVersion": link.peerSoftwareVersion,
            ]
            if link.hasSince { object["since"] = CaseOutput.time(link.since) }
            if link.hasLastAckAt { object["lastAckAt"] = CaseOutput.time(link.lastAckAt) }
            return object
        }

        static func table(_ links: [Banjian_V1_LinkStatus]) {
            guard !links.isEmpty else { return print("no links: the node has no parent and no registered child") }
            let header = ["PEER", "DIRECTION", "STATE", "SINCE", "OUTBOX", "LAG", "ACKED", "APPLIED", "VERSION"]
            let rows = links.map { link in
                [link.peerNodeCode, link.direction == .parent ? "parent" : "child", link.state == .connected ? "up" : "down",
                 link.hasSince ? CaseOutput.time(link.since) : "-", "\(link.outboxDepth)",
                 String(format: "%.1fs", Double(link.lag.seconds) + Double(link.lag.nanos) / 1e9),
                 "\(link.lastAckedSequence)", "\(link.lastAppliedSequence)", link.peerSoftwareVersion.isEmpty ? "-" : link.peerSoftwareVersion]
            }
            CaseOutput.columns(header, rows)
        }
    }
}
