package import BanjianWire
public import GRPCCore
package import GRPCNIOTransportHTTP2

/// How to reach a node as a staff client: its address, the CA to trust, an optional client
/// certificate (for nodes that require mutual TLS) and the operator token.
public struct NodeConnection: Sendable {
    public var address: HostPort
    /// PEM file of the CA that signed the node's certificate.
    public var trustRootsPath: String
    /// PEM certificate and key to present, for nodes that require client certificates.
    public var clientCertificate: (certificatePath: String, privateKeyPath: String)?
    /// The operator's bearer token.
    public var token: String?

    public init(address: HostPort, trustRootsPath: String, clientCertificate: (certificatePath: String, privateKeyPath: String)? = nil,
                token: String? = nil) {
        self.address = address
        self.trustRootsPath = trustRootsPath
        self.clientCertificate = clientCertificate
        self.token = token
    }
}

/// A connected staff client: the node's services, with the operator's token on every call.
public struct NodeClient: Sendable {
    package let cases: Banjian_V1_CaseService.Client<HTTP2ClientTransport.Posix>
    package let catalog: Banjian_V1_CatalogService.Client<HTTP2ClientTransport.Posix>
    package let health: Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>
    package let supervision: Banjian_V1_SupervisionService.Client<HTTP2ClientTransport.Posix>
    /// `authorization: Bearer <token>`, or empty without a token.
    public let metadata: Metadata

    /// Connects over TLS (mutual TLS with a client certificate), runs `body`, and closes the
    /// connection.
    public static func with<T: Sendable>(_ connection: NodeConnection, _ body: (NodeClient) async throws -> T) async throws -> T {
        let roots = TLSConfig.TrustRootsSource.certificates([.file(path: connection.trustRootsPath, format: .pem)])
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if let certificate = connection.clientCertificate {
            security = .mTLS(
                certificateChain: [.file(path: certificate.certificatePath, format: .pem)],
                privateKey: .file(path: certificate.privateKeyPath, format: .pem)
            ) { $0.trustRoots = roots }
        } else {
            security = .tls { $0.trustRoots = roots }
        }
        let host = connection.address.host, port = connection.address.port
        let target: any ResolvableTarget = host.contains(":") ? .ipv6(address: host, port: port)
            : host.first?.isNumber == true ? .ipv4(address: host, port: port) : .dns(host: host, port: port)
        let transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: security)
        return try await withGRPCClient(transport: transport) { grpc in
            let client = NodeClient(
                cases: .init(wrapping: grpc), catalog: .init(wrapping: grpc), health: .init(wrapping: grpc), supervision: .init(wrapping: grpc),
                metadata: connection.token.map { ["authorization": "Bearer \($0)"] } ?? [:])
            return try await body(client)
        }
    }
}
