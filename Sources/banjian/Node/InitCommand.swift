import ArgumentParser
import BanjianDomain
import BanjianNode
import Foundation

/// `banjian init`: a demo node's CA, certificate, config, database and operator tokens.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a node's config, certificates, database and operator tokens into a directory.",
        discussion: """
            The directory's CA (ca.pem, ca-key.pem) is created on first use and reused, so every node \
            initialised in the same directory belongs to the same federation. Keys are generated now and \
            never leave the directory.
            """)

    @Option(help: "Directory to write into.") var dir = "demo"
    @Option(help: "Node code (6 digits county, 9 township, 12 village).") var code = "341182102"
    @Option(help: "Node name.") var name = "张八岭镇便民服务中心"
    @Option(help: "host:port the node listens on for staff.") var listen = "127.0.0.1:7443"
    @Option(help: "host:port of the listener for the children's links (mutual TLS).") var federationListen: String?
    @Option(help: "Parent node as CODE@HOST:PORT, the parent's federation listener.") var parent: String?
    @Option(help: "A child whose link is accepted (repeatable; more later with 'banjian child add').") var child: [String] = []
    @Flag(help: "Require client certificates (mutual TLS) from every caller.") var requireClientCertificates = false

    func run() async throws {
        guard let node = NodeCode(code) else { throw ValidationError("--code: '\(code)' is not a node code of 2, 4, 6, 9 or 12 digits") }
        var parentNode: (code: NodeCode, address: String)?
        if let parent {
            let parts = parent.split(separator: "@", maxSplits: 1).map(String.init)
            guard parts.count == 2, let parentCode = NodeCode(parts[0]), HostPort(parts[1]) != nil else {
                throw ValidationError("--parent: '\(parent)' is not CODE@HOST:PORT")
            }
            parentNode = (parentCode, parts[1])
        }
        guard HostPort(listen) != nil else { throw ValidationError("--listen: '\(listen)' is not host:port") }
        if let federationListen, HostPort(federationListen) == nil {
            throw ValidationError("--federation-listen: '\(federationListen)' is not host:port")
        }
        let children = try child.map { text in
            guard let code = NodeCode(text), code.parentCode == node else { throw ValidationError("--child: '\(text)' is not a child code of \(node)") }
            return code
        }
        if let parentNode, node.parentCode != parentNode.code {
            throw ValidationError("--parent: \(parentNode.code) is not the level directly above \(node)")
        }
        let result = try await NodeSetup.initialize(
            directory: dir, code: node, name: name, parent: parentNode, listen: listen, federationListen: federationListen,
            children: children, requireClientCertificates: requireClientCertificates, now: Date())
        print("config:  \(result.configPath)")
        print("tokens:  \(result.tokensPath) (one operator per role; keep it secret)")
        for (role, token) in result.tokens.sorted(by: { $0.key < $1.key }) {
            print("  \(role.padding(toLength: 15, withPad: " ", startingAt: 0)) \(token.id)")
        }
        print("next:    banjian serve --config \(result.configPath)")
    }
}
