public import BanjianDomain
import BanjianStore
public import Foundation

/// `banjian init`: everything a node needs to start, in one directory.
///
/// - the federation CA (`ca.pem`, `ca-key.pem`), made once and reused, so a second `init` in the
///   same directory issues a certificate from the same CA;
/// - the node's certificate (`<code>.pem`, `<code>-key.pem`): the node code as common name, and
///   `<code>.node.banjian` as a host name, which a child checks when it dials its parent;
/// - the config (`<code>.json`) and the database; at the top of the tree (no parent), with the
///   demo matter catalogue, which the nodes below receive over their links;
/// - one operator per staff role, with random tokens in `<code>-tokens.json` (mode 0600; the
///   database keeps only their SHA-256).
public enum NodeSetup {
    /// What `initialize` wrote.
    public struct Result: Sendable {
        public let configPath: String
        public let tokensPath: String
        /// Role name → (operator id, token).
        public let tokens: [String: OperatorToken]
    }

    /// An operator's id and bearer token, as saved in the tokens file.
    public struct OperatorToken: Codable, Hashable, Sendable {
        public let id: String
        public let name: String
        public let token: String
    }

    /// The staff roles that get a demo operator.
    public static let staffRoles: [Role] = [.agent, .acceptor, .handler, .departmentHead, .deputy, .director, .supervisor, .auditor]

    /// Writes a node's files into `directory`.
    /// - Parameters:
    ///   - code, name: the node; its level follows from the code's length.
    ///   - parent: the parent node's code and address, if any.
    ///   - parent: the parent node's code and federation address, if any.
    ///   - listen: host:port the node will listen on for staff.
    ///   - federationListen: host:port of the listener for the children's links, if any.
    ///   - children: the children whose links are accepted.
    ///   - requireClientCertificates: whether staff clients need a certificate too.
    ///   - now: start of the certificates' validity (one day earlier, against clock skew).
    public static func initialize(
        directory: String, code: NodeCode, name: String, parent: (code: NodeCode, address: String)? = nil,
        listen: String, federationListen: String? = nil, children: [NodeCode] = [], requireClientCertificates: Bool = false, now: Date
    ) async throws -> Result {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ file: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(file).path }

        let authority = try loadOrCreateAuthority(directory: directory, now: now)
        let issued = try authority.issue(commonName: code.rawValue, dnsNames: [NodeIdentity.hostname(of: code)],
                                         notBefore: now.addingTimeInterval(-86_400), days: 825)
        try write(issued.certificatePEM, to: path("\(code).pem"))
        try write(issued.privateKeyPEM, to: path("\(code)-key.pem"), secret: true)

        let config = NodeConfig(
            node: .init(code: code.rawValue, name: name, level: code.level.configName), listen: listen,
            parent: parent.map { .init(code: $0.code.rawValue, address: $0.address) },
            federation: federationListen == nil && children.isEmpty ? nil
                : .init(listen: federationListen, children: children.isEmpty ? nil : children.map(\.rawValue)),
            database: "\(code).sqlite",
            tls: .init(certificate: "\(code).pem", privateKey: "\(code)-key.pem", trustRoots: "ca.pem",
                       requireClientCertificates: requireClientCertificates))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let configPath = path("\(code).json")
        try write(String(decoding: try encoder.encode(config), as: UTF8.self) + "\n", to: configPath)

        let database = try NodeDatabase(path: path("\(code).sqlite"))
        var tokens: [String: OperatorToken] = [:]
        let existing = Set(try await database.operators().map(\.id))
        for (index, role) in staffRoles.enumerated() {
            let id = "\(role.rawValue)-1"
            guard !existing.contains(id) else { continue }
            let token = OperatorDirectory.newToken()
            let name = demoNames[index % demoNames.count]
            try await database.addOperator(OperatorAccount(id: id, name: name, role: role),
                                           tokenSHA256: OperatorDirectory.hash(token: token), at: now)
            tokens[role.rawValue] = OperatorToken(id: id, name: name, token: token)
        }
        // The top of the tree publishes the catalogue; the nodes below receive it over their links.
        for matter in parent == nil ? DemoCatalogue.matters(owner: code, publishedAt: now) : []
        where try await database.matter(code: matter.code) == nil {
            try await database.saveMatter(matter)
        }
        try database.close()
        let tokensPath = path("\(code)-tokens.json")
        if !tokens.isEmpty { try write(String(decoding: try encoder.encode(tokens), as: UTF8.self) + "\n", to: tokensPath, secret: true) }
        return Result(configPath: configPath, tokensPath: tokensPath, tokens: tokens)
    }

    /// The CA in `directory`, made on first use.
    public static func loadOrCreateAuthority(directory: String, now: Date) throws -> CertificateAuthority {
        let certificate = URL(fileURLWithPath: directory).appendingPathComponent("ca.pem").path
        let key = URL(fileURLWithPath: directory).appendingPathComponent("ca-key.pem").path
        if FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key) {
            return try CertificateAuthority(
                certificatePEM: try String(contentsOfFile: certificate, encoding: .utf8),
                privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8))
        }
        let authority = try CertificateAuthority.generate(name: "Banjian demo CA", notBefore: now.addingTimeInterval(-86_400), days: 3650)
        let pem = try authority.pem()
        try write(pem.certificatePEM, to: certificate)
        try write(pem.privateKeyPEM, to: key, secret: true)
        return authority
    }

    /// Writes a file; secrets are readable by the owner only.
    public static func write(_ text: String, to path: String, secret: Bool = false) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        if secret { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
    }

    private static let demoNames = ["李代理", "王受理", "张承办", "赵部长", "钱副主任", "孙主任", "周督查", "吴审计"]
}
