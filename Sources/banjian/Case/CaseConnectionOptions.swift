import ArgumentParser
import BanjianNode
import Foundation
import GRPCCore

/// How a staff command reaches its node and who it acts as.
struct CaseConnectionOptions: ParsableArguments {
    @Option(help: "The node's config file: gives the address, the CA and (with --as) the token.") var config: String?
    @Option(help: "host:port of the node (overrides the config).") var address: String?
    @Option(help: "PEM file of the CA to trust (overrides the config).") var ca: String?
    @Option(help: "Act as the demo operator of this role, from the tokens file beside the config.") var `as`: String?
    @Option(help: "Operator token (or BANJIAN_TOKEN).") var token: String?
    @Option(help: "Client certificate (PEM), for nodes that require mutual TLS.") var cert: String?
    @Option(help: "Client certificate's private key (PEM).") var key: String?
    @Flag(help: "Print JSON instead of tables.") var json = false

    /// The connection these options describe.
    func connection() throws -> NodeConnection {
        var address = address.flatMap(HostPort.init)
        var trustRoots = ca
        var token = token ?? ProcessInfo.processInfo.environment["BANJIAN_TOKEN"]
        if let config {
            let resolved = try NodeConfig.loadForCommand(path: config)
            if address == nil {
                var listen = resolved.listen
                if listen.host == "0.0.0.0" || listen.host == "::" { listen.host = "127.0.0.1" }
                address = listen
            }
            trustRoots = trustRoots ?? resolved.trustRootsPath
            if token == nil, let role = `as` {
                let tokensPath = URL(fileURLWithPath: config).deletingLastPathComponent()
                    .appendingPathComponent("\(resolved.code)-tokens.json").path
                let tokens = try JSONDecoder().decode([String: NodeSetup.OperatorToken].self,
                                                      from: Data(contentsOf: URL(fileURLWithPath: tokensPath)))
                guard let entry = tokens[role] else {
                    throw ValidationError("--as: no operator of role '\(role)' in \(tokensPath) (roles: \(tokens.keys.sorted().joined(separator: ", ")))")
                }
                token = entry.token
            }
        }
        guard let address else { throw ValidationError("give --config or --address") }
        guard let trustRoots else { throw ValidationError("give --config or --ca") }
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
        return NodeConnection(address: address, trustRootsPath: trustRoots,
                              clientCertificate: cert.flatMap { cert in key.map { (certificatePath: cert, privateKeyPath: $0) } },
                              token: token)
    }

    /// Connects, runs `body`, and turns a refused call into the server's message and an exit code.
    func call(_ body: @escaping @Sendable (NodeClient) async throws -> Void) async throws {
        let connection = try connection()
        do {
            try await NodeClient.with(connection, body)
        } catch let error as RPCError {
            try? FileHandle.standardError.write(contentsOf: Data("banjian: \(error.code): \(error.message)\n".utf8))
            throw ExitCode(Self.exitCode(error.code))
        }
    }

    /// Exit codes (sysexits.h): 69 node unreachable, 77 not authenticated or not permitted,
    /// 65 invalid input, 66 not found (a case, notice or matter), 1 any other refusal.
    static func exitCode(_ code: RPCError.Code) -> Int32 {
        switch code {
        case .unavailable, .deadlineExceeded: 69
        case .unauthenticated, .permissionDenied: 77
        case .invalidArgument: 65
        case .notFound: 66
        default: 1
        }
    }
}
