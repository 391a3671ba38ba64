import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Bad input, bad credentials and bad certificates: each gets the right status, nothing changes,
/// and the node keeps serving.
@Suite(.timeLimit(.minutes(2))) struct RefusalTests {
    /// The status code of a call that must fail.
    static func code(_ call: () async throws -> Void) async -> RPCError.Code? {
        do {
            try await call()
            return nil
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }

    static func message(_ call: () async throws -> Void) async -> String {
        do { try await call(); return "" } catch let error as RPCError { return error.message } catch { return "\(error)" }
    }

    @Test func badInputGetsTheRightStatusAndChangesNothing() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { client in
                try await client.cases.createCase(NodeWire.create("base"), metadata: client.metadata).caseRecord.number
            }
            try await node.client(as: .acceptor) { client in
                let m = client.metadata
                var oversize = NodeWire.create("big")
                oversize.received.summary = String(repeating: "长", count: 1001)
                #expect(await Self.code { _ = try await client.cases.createCase(oversize, metadata: m) } == .invalidArgument)
                #expect(await Self.message { _ = try await client.cases.createCase(oversize, metadata: m) }
                    == "received.summary: longer than 1000 characters")

                var unknownEnum = NodeWire.create("enum")
                unknownEnum.received.channel = Banjian_V1_CaseChannel(rawValue: 99)!
                #expect(await Self.message { _ = try await client.cases.createCase(unknownEnum, metadata: m) }
                    == "received.channel: unknown value 99")

                var missing = NodeWire.create("missing")
                missing.clearReceived()
                #expect(await Self.message { _ = try await client.cases.createCase(missing, metadata: m) } == "received: must be set")
                #expect(await Self.message { _ = try await client.cases.createCase(.with { $0.received = NodeWire.create("x").received }, metadata: m) }
                    == "request_id: must not be empty")

                // An illegal transition: a received case cannot be replied to.
                #expect(await Self.code { _ = try await client.cases.replyCase(.with { $0.requestID = "r"; $0.caseNumber = number }, metadata: m) }
                    == .failedPrecondition)
                #expect(await Self.code { _ = try await client.cases.getCase(.with { $0.caseNumber = "341182102-20250310-000999" }, metadata: m) }
                    == .notFound)
                #expect(await Self.message { _ = try await client.cases.getCase(.with { $0.caseNumber = "nope" }, metadata: m) }
                    .hasPrefix("case_number:"))
                var stale = NodeWire.accept(number, "stale")
                stale.expectedVersion = 9
                #expect(await Self.code { _ = try await client.cases.acceptCase(stale, metadata: m) } == .aborted)
                #expect(await Self.code { _ = try await client.cases.acceptCase(NodeWire.accept(number, "base"), metadata: m) } == .alreadyExists)
                #expect(await Self.code { _ = try await client.cases.listCases(.with { $0.pageToken = "garbage" }, metadata: m) } == .invalidArgument)
                #expect(await Self.code { _ = try await client.cases.listCases(.with { $0.pageSize = 501 }, metadata: m) } == .invalidArgument)
                #expect(await Self.code { _ = try await client.cases.listCases(.with { $0.states = [.unspecified] }, metadata: m) } == .invalidArgument)

                let record = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: m).caseRecord
                #expect(record.version == 1)
                #expect(try await client.cases.listCases(.init(), metadata: m).cases.count == 1)
            }
        }
    }

    @Test func credentialsAndRolesAreChecked() async throws {
        try await TestNode.run { node in
            try await node.client(as: nil) { client in
                #expect(await Self.code { _ = try await client.cases.listCases(.init()) } == .unauthenticated)
                #expect(await Self.code { _ = try await client.cases.listCases(.init(), metadata: ["authorization": "Bearer wrong"]) }
                    == .unauthenticated)
            }
            try await node.client(as: .auditor) { client in
                // Auditors read, but may not register cases.
                _ = try await client.cases.listCases(.init(), metadata: client.metadata)
                #expect(await Self.code { _ = try await client.cases.createCase(NodeWire.create("x"), metadata: client.metadata) }
                    == .permissionDenied)
                // Nor publish the catalogue: that is for leaders, at the top of the tree.
                #expect(await Self.code { _ = try await client.catalog.publishMatter(.init(), metadata: client.metadata) } == .permissionDenied)
            }
        }
    }

    @Test func aRevokedTokenStopsWorkingWithinTheCacheAgeAndANewOneWorksAtOnce() async throws {
        try await TestNode.run { node in
            let database = node.runtime.database
            try await node.client(as: .handler) { client in
                _ = try await client.cases.listCases(.init(), metadata: client.metadata)
                _ = try await database.revokeOperator(id: "handler-1", at: Date())
                // Found before the revocation: trusted for the cache age of the node's clock.
                node.clock.advance(by: .seconds(9))
                _ = try await client.cases.listCases(.init(), metadata: client.metadata)
                node.clock.advance(by: .seconds(1))
                #expect(await Self.code { _ = try await client.cases.listCases(.init(), metadata: client.metadata) } == .unauthenticated)
                #expect(await Self.message { _ = try await client.cases.listCases(.init(), metadata: client.metadata) } == "unknown or revoked token")
            }
            // Never used before the revocation: refused at once.
            _ = try await database.revokeOperator(id: "deputy-1", at: Date())
            try await node.client(as: .deputy) { client in
                #expect(await Self.code { _ = try await client.cases.listCases(.init(), metadata: client.metadata) } == .unauthenticated)
            }
            // Added while the node runs: works at once.
            let token = OperatorDirectory.newToken()
            try await database.addOperator(OperatorAccount(id: "handler-2", name: "新承办", role: .handler),
                                           tokenSHA256: OperatorDirectory.hash(token: token), at: Date())
            try await node.client(as: nil) { client in
                _ = try await client.cases.listCases(.init(), metadata: ["authorization": "Bearer \(token)"])
            }
        }
    }

    @Test func garbageOnTheSocketDoesNotStopTheNode() async throws {
        try await TestNode.run { node in
            for payload in [Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Array(repeating: 0xFF, count: 256),
                            Array(repeating: 0x16, count: 4096), Array("GET / HTTP/1.1\r\n\r\n".utf8)] {
                try Self.sendRaw(payload, to: node.address)
            }
            try await node.client(as: .acceptor) { client in
                _ = try await client.cases.createCase(NodeWire.create("after-garbage"), metadata: client.metadata)
                let health = try await client.health.check(.init())
                #expect(health.status == .serving)
            }
        }
    }

    @Test func aClientTrustingAnotherCAIsRefused() async throws {
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-other-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        _ = try NodeSetup.loadOrCreateAuthority(directory: other, now: Date())
        try await TestNode.run { node in
            let code = await Self.code {
                try await node.client(as: .acceptor, trustRoots: other + "/ca.pem") { client in
                    _ = try await client.cases.listCases(.init(), metadata: client.metadata)
                }
            }
            #expect(code == .unavailable)
        }
    }

    @Test func anExpiredServerCertificateIsRefused() async throws {
        let prepared = try await TestNode.prepare()
        let authority = try NodeSetup.loadOrCreateAuthority(directory: prepared.directory, now: Date())
        let expired = try authority.issue(commonName: "341182102", notBefore: Date().addingTimeInterval(-10 * 86_400), days: 2)
        try NodeSetup.write(expired.certificatePEM, to: prepared.directory + "/341182102.pem")
        try NodeSetup.write(expired.privateKeyPEM, to: prepared.directory + "/341182102-key.pem", secret: true)
        try await TestNode.run(prepared: prepared) { node in
            #expect(await Self.code {
                try await node.client(as: .acceptor) { client in _ = try await client.cases.listCases(.init(), metadata: client.metadata) }
            } == .unavailable)
        }
    }

    @Test func mutualTLSRefusesMissingWrongAndExpiredClientCertificates() async throws {
        try await TestNode.run(requireClientCertificates: true) { node in
            let authority = try NodeSetup.loadOrCreateAuthority(directory: node.directory, now: Date())
            func save(_ issued: CertificateAuthority.Issued, _ name: String) throws -> (String, String) {
                try NodeSetup.write(issued.certificatePEM, to: node.path("\(name).pem"))
                try NodeSetup.write(issued.privateKeyPEM, to: node.path("\(name)-key.pem"), secret: true)
                return (node.path("\(name).pem"), node.path("\(name)-key.pem"))
            }
            let good = try save(try authority.issue(commonName: "staff-client", notBefore: Date().addingTimeInterval(-3600), days: 1), "good")
            let expired = try save(try authority.issue(commonName: "old-client", notBefore: Date().addingTimeInterval(-5 * 86_400), days: 1), "expired")
            let stranger = try save(try CertificateAuthority.generate(name: "other", notBefore: Date().addingTimeInterval(-3600), days: 1)
                .issue(commonName: "stranger", notBefore: Date().addingTimeInterval(-3600), days: 1), "stranger")

            func list(_ certificate: (String, String)?) async -> RPCError.Code? {
                await Self.code {
                    try await node.client(as: .acceptor, certificate: certificate) { client in
                        _ = try await client.cases.listCases(.init(), metadata: client.metadata)
                    }
                }
            }
            #expect(await list(nil) == .unavailable)
            #expect(await list(stranger) == .unavailable)
            #expect(await list(expired) == .unavailable)
            #expect(await list(good) == nil)
        }
    }

    /// Writes raw bytes to a TCP port, then closes the socket.
    static func sendRaw(_ bytes: [UInt8], to address: HostPort) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(address.port).bigEndian)
        socketAddress.sin_addr.s_addr = inet_addr(address.host)
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = recv(fd, &buffer, buffer.count, 0)
    }
}
