import ArgumentParser
import BanjianDomain
import BanjianNode
import Foundation

/// `banjian cert`: issue another certificate from a directory's CA.
struct CertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Issue a certificate (a node's, or a staff client's for mutual TLS) from the CA in a directory.")

    @Option(help: "Directory holding ca.pem and ca-key.pem.") var dir = "demo"
    @Option(help: "Common name: the node code, or a client's name.") var name: String
    @Option(help: "Extra DNS name (repeatable); localhost is always included.") var dns: [String] = []
    @Option(help: "Extra IPv4 address (repeatable); 127.0.0.1 is always included.") var ip: [String] = []
    @Option(help: "Days of validity.") var days = 825

    func validate() throws {
        guard (1...3650).contains(days) else { throw ValidationError("--days must be in 1...3650") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ValidationError("--name may contain only letters, digits, '-', '_' and '.'")
        }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: dir + "/ca.pem") else {
            throw ValidationError("no CA in \(dir): run 'banjian init --dir \(dir)' first")
        }
        let authority = try NodeSetup.loadOrCreateAuthority(directory: dir, now: Date())
        // A node's certificate also carries the host name its children check when they dial it.
        let nodeName = NodeCode(name).map { [NodeIdentity.hostname(of: $0)] } ?? []
        let issued = try authority.issue(commonName: name, dnsNames: dns + nodeName, ipAddresses: ip,
                                         notBefore: Date().addingTimeInterval(-3600), days: days)
        try NodeSetup.write(issued.certificatePEM, to: "\(dir)/\(name).pem")
        try NodeSetup.write(issued.privateKeyPEM, to: "\(dir)/\(name)-key.pem", secret: true)
        print("certificate: \(dir)/\(name).pem")
        print("private key: \(dir)/\(name)-key.pem")
    }
}
