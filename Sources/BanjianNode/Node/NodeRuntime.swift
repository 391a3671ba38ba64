import BanjianDomain
public import BanjianStore
import BanjianWire
public import Foundation
public import GRPCCore
import GRPCNIOTransportHTTP2
public import Logging
public import ServiceLifecycle
public import UnixSignals

/// One Banjian node, assembled: the database, the case writer, the deadline driver and the gRPC
/// server on the transport the caller chose. Run ``services`` in one `ServiceGroup`
/// (``run(gracefulShutdownSignals:)`` does), in this order so graceful shutdown stops the server
/// first (calls in flight finish), then the deadline driver, then the writer (queued commands
/// commit); the database closes last.
public struct NodeRuntime<Clock: WheelClock>: Sendable {
    public let config: ResolvedNodeConfig
    public let database: NodeDatabase
    public let writer: CaseWriter
    public let driver: CaseDeadlines<Clock>.Driver
    private let server: NodeServer
    private let serverService: GRPCServerService
    /// The federation: the children's listener, the parent link, the link-down watch.
    private let federation: [any Service]
    private let federationServer: NodeServer?
    private let logger: Logger

    /// The node's long-running parts, in start order.
    public var services: [any Service] { [writer, driver, serverService] + federation }

    /// What graceful shutdown does first: report NOT_SERVING, end the watch streams, and stop
    /// accepting calls while those in flight finish.
    public func beginGracefulShutdown() { serverService.beginShutdown() }

    /// Opens the database, rebuilds the deadline wheel from it in one pass, and builds the server
    /// (not yet listening).
    /// - Parameters:
    ///   - transport: where the staff services listen: the config's TLS socket (`banjian serve`),
    ///     or any server transport, e.g. an in-process one for several nodes in one process.
    ///   - services: more services to serve beside the node's own (cases, catalogue, health).
    public static func make(config: ResolvedNodeConfig, clock: Clock, logger: Logger, transport: StaffTransport = .configured,
                            services: [any RegistrableRPCService] = []) async throws -> NodeRuntime {
        try await make(config: config, logger: logger, transport: transport, services: services) { _ in clock }
    }

    /// As ``make(config:clock:logger:transport:services:)``, with the clock made from when the
    /// event appended last occurred (`nil` for an empty log), so that an accelerated clock goes on
    /// from there after a restart.
    public static func make(config: ResolvedNodeConfig, logger: Logger, transport: StaffTransport = .configured,
                            services extra: [any RegistrableRPCService] = [],
                            clock makeClock: (_ latestEvent: Date?) throws -> Clock) async throws -> NodeRuntime {
        var logger = logger
        logger[metadataKey: "node.code"] = "\(config.code)"
        let database = try NodeDatabase(path: config.databasePath)
        let clock = try makeClock(try await database.latestEventInstant())
        // The config's calendar, with the holiday years published at the top loaded over it.
        var calendar = config.calendar
        for year in try await database.holidayYears() { calendar = calendar.loading(year) }
        let hub = CaseEventHub()
        let deadlines = CaseDeadlines(database: database, clock: clock, node: config.code, logger: logger)
        let log = CaseLog(node: config.code, parent: config.parent?.code, settings: config.settings, calendar: CalendarSource(calendar))
        if let change = try await database.reconcileCalendar(log, at: clock.now().date) { logger.logCalendarChange(change) }
        if let rebuild = try await database.rebuildProjectionsIfAsked(log) {
            logger.notice("projections rebuilt from the events after a migration", metadata: [
                "cases": "\(rebuild.cases)", "events": "\(rebuild.events)", "rewritten": "\(rebuild.differing.count)",
            ])
        }
        let feed = CommitFeed()
        let registry = LinkRegistry()
        feed.subscribe { deadlines.replace(with: $0) }
        feed.subscribe(to: .committed) { registry.wakeAll() }
        let calendarLogger = logger
        feed.subscribe(to: .calendarChanged) {
            // A published holiday year re-projected the stored deadlines: the wheel follows them.
            Task {
                if let change = try await database.calendarChanges(latest: 1).last { calendarLogger.logCalendarChange(change) }
                try await deadlines.reloadAll()
            }
        }
        feed.subscribe { hub.publish($0.map(\.event)) }
        // The alert stream wakes only for batches that may have journaled alerts.
        feed.subscribe(to: .alertsJournaled) { hub.alertsRaised() }
        // A petition or complaint handled here changed: its rungs follow.
        let grievanceLogger = logger
        feed.subscribe(to: .grievanceRungsChanged) {
            Task {
                do { try await deadlines.reloadGrievances() } catch {
                    grievanceLogger.error("petition and complaint rungs not reloaded; the next change or start restores them", metadata: ["error": "\(error)"])
                }
            }
        }
        let commitLogger = logger
        feed.subscribe { results in for result in results { commitLogger.logCommitted(result) } }
        let writer = CaseWriter(database: database, log: log, logger: logger, feed: feed)
        let driver = try await deadlines.start(writer: writer)
        let now: @Sendable () -> Date = { clock.now().date }
        let context = NodeContext(
            code: config.code, parent: config.parent?.code, centreName: config.name, database: database, writer: writer,
            directory: OperatorDirectory(database: database, node: config.code, now: now), hub: hub, log: log, now: now)
        let health = HealthService()
        let services: [any RegistrableRPCService] = [
            CaseServiceHandler(node: context), CatalogServiceHandler(node: context),
            SupervisionServiceHandler(node: context, links: config.links, registry: registry), health,
        ] + extra
        let server = switch transport {
        case .configured:
            NodeServer(HTTP2ServerTransport.Posix(address: config.listen.socketAddress, transportSecurity: config.serverSecurity,
                                                  config: .defaults), services: services)
        case .custom(let custom):
            NodeServer(custom, services: services)
        }
        var federation: [any Service] = []
        var federationServer: NodeServer?
        let links = config.links
        try await database.registerChildren(links.children.sorted(), at: now())
        registry.expect([config.parent?.code].compactMap { $0 } + (try await database.children().map(\.code)), at: now())
        let link = LinkContext(node: config.code, name: config.name, database: database, writer: writer, registry: registry, settings: links, now: now,
                               logger: logger)
        if let listen = links.listen {
            let handler = FederationServiceHandler(link: link)
            let server = NodeServer(
                HTTP2ServerTransport.Posix(address: listen.socketAddress, transportSecurity: config.federationSecurity, config: .defaults),
                services: [handler])
            federationServer = server
            federation.append(FederationServerService(server: server, registry: registry))
        }
        if let parent = config.parent {
            federation.append(ParentLink(
                context: link, parent: parent.code, address: parent.address, certificatePath: config.certificatePath,
                privateKeyPath: config.privateKeyPath, trustRootsPath: config.trustRootsPath))
        }
        if config.parent != nil || links.listen != nil {
            federation.append(LinkWatch(context: link))
        }
        return NodeRuntime(
            config: config, database: database, writer: writer, driver: driver, server: server,
            serverService: GRPCServerService(server: server, health: health, hub: hub, logger: logger),
            federation: federation, federationServer: federationServer, logger: logger)
    }

    /// The address the federation listener listens on, once it does.
    /// - Throws: when the node has no federation listener.
    public func federationAddress() async throws -> HostPort {
        guard let federationServer else { throw RPCError(code: .failedPrecondition, message: "the node has no federation listener") }
        return try await Self.hostPort(federationServer.listeningAddress())
    }

    /// The address the server listens on, once it does (port 0 in the config picks a free port).
    /// - Throws: when the transport listens on no socket (in-process).
    public func listeningAddress() async throws -> HostPort {
        try await Self.hostPort(server.listeningAddress())
    }

    private static func hostPort(_ address: GRPCNIOTransportCore.SocketAddress?) throws -> HostPort {
        if let ipv4 = address?.ipv4 { return HostPort(host: ipv4.host, port: ipv4.port) }
        if let ipv6 = address?.ipv6 { return HostPort(host: ipv6.host, port: ipv6.port) }
        throw RPCError(code: .internalError, message: "the server has no IP address")
    }

    /// Runs the node until a signal (or cancellation) ends it, then closes the database.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
        logger.info("node starting", metadata: ["node.name": "\(config.name)", "listen": "\(config.listen)",
                                                "database": "\(config.databasePath)"])
        do {
            try await group.run()
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
        logger.info("node stopped")
    }
}

/// Where a node's staff services listen.
public enum StaffTransport: Sendable {
    /// TCP at the config's `listen` address with the config's TLS (mutual TLS when it requires
    /// client certificates): what `banjian serve` uses.
    case configured
    /// Any server transport, e.g. `InProcessTransport`'s server for several nodes in one process.
    case custom(any ServerTransport)
}

/// A gRPC server over whichever transport, as the runtime drives it.
struct NodeServer: Sendable {
    let serve: @Sendable () async throws -> Void
    let beginGracefulShutdown: @Sendable () -> Void
    /// The bound socket, or `nil` for a transport without one.
    let listeningAddress: @Sendable () async throws -> GRPCNIOTransportCore.SocketAddress?

    init<Transport: ServerTransport>(_ transport: Transport, services: [any RegistrableRPCService]) {
        let server = GRPCServer(transport: transport, services: services)
        serve = { try await server.serve() }
        beginGracefulShutdown = { server.beginGracefulShutdown() }
        listeningAddress = { try await server.listeningAddress }
    }
}

/// Runs the gRPC server as a `Service`: on graceful shutdown the node reports NOT_SERVING, ends
/// its watch streams, and lets calls in flight finish.
struct GRPCServerService: Service {
    let server: NodeServer
    let health: HealthService
    let hub: CaseEventHub
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            beginShutdown()
        }
    }

    func beginShutdown() {
        logger.info("graceful shutdown: draining calls")
        health.markNotServing()
        hub.close()
        server.beginGracefulShutdown()
    }
}

/// Runs the federation listener as a `Service`. Link streams never finish by themselves, so
/// graceful shutdown ends every session before the server drains.
struct FederationServerService: Service {
    let server: NodeServer
    let registry: LinkRegistry

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            registry.endAll()
            server.beginGracefulShutdown()
        }
    }
}

extension HostPort {
    /// The socket address to bind: IPv6 literals as IPv6, `localhost` as 127.0.0.1, others as IPv4.
    var socketAddress: GRPCNIOTransportCore.SocketAddress {
        if host.contains(":") { return .ipv6(host: host, port: port) }
        return .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    }
}

extension ResolvedNodeConfig {
    /// TLS 1.3-capable TLS with the node's certificate; with ``requireClientCertificates``, mutual
    /// TLS that accepts only clients signed by the trust roots.
    var serverSecurity: HTTP2ServerTransport.Posix.TransportSecurity {
        let chain: [TLSConfig.CertificateSource] = [.file(path: certificatePath, format: .pem)]
        let key = TLSConfig.PrivateKeySource.file(path: privateKeyPath, format: .pem)
        guard requireClientCertificates else { return .tls(certificateChain: chain, privateKey: key) }
        return .mTLS(certificateChain: chain, privateKey: key) { tls in
            tls.trustRoots = .certificates([.file(path: trustRootsPath, format: .pem)])
            tls.clientCertificateVerification = .noHostnameVerification
        }
    }
}

extension ResolvedNodeConfig {
    /// Mutual TLS for the federation listener: a client certificate from the trust roots is
    /// always required; its common name is the child's node code.
    var federationSecurity: HTTP2ServerTransport.Posix.TransportSecurity {
        .mTLS(certificateChain: [.file(path: certificatePath, format: .pem)], privateKey: .file(path: privateKeyPath, format: .pem)) { tls in
            tls.trustRoots = .certificates([.file(path: trustRootsPath, format: .pem)])
            tls.clientCertificateVerification = .noHostnameVerification
        }
    }
}

extension Logger {
    /// A calendar change as journaled: the calendar, the withdrawn early rungs, the moved deadlines.
    func logCalendarChange(_ change: CalendarChange) {
        let message: Logger.Message = change.previousFingerprint == nil ? "calendar recorded" : "calendar changed: deadlines re-projected"
        notice(message, metadata: [
            "calendar": "\(change.summary)", "calendar.fingerprint": "\(change.fingerprint)",
            "calendar.previous": "\(change.previousFingerprint ?? "none")", "cases": "\(change.casesReprojected)",
        ])
        for (number, correction) in change.corrections.sorted(by: { $0.key < $1.key }) {
            notice("early rungs withdrawn", metadata: [
                "case.no": "\(number)",
                "rungs": "\(correction.withdrawn.map { "\($0.clock.rawValue).\($0.rung.rawValue)" }.joined(separator: ","))",
            ])
        }
        for shift in change.shifts {
            notice("deadline moved", metadata: [
                "case.no": "\(shift.caseNumber)", "clock": "\(shift.clock.rawValue)",
                "due.before": "\(shift.previousDue.map { "\($0)" } ?? "none")", "due.now": "\(shift.currentDue.map { "\($0)" } ?? "none")",
            ])
        }
    }

    /// One line per committed event, and one per alert raised and notification recorded (the
    /// supervision service will stream them; until then the log carries them).
    func logCommitted(_ result: CaseWriteResult) {
        let event = result.event
        let base: Logger.Metadata = ["case.no": "\(result.record.number)", "event.id": "\(event.id)"]
        info("case event", metadata: base.merging([
            "event.name": "\(event.event.name.rawValue)", "case.version": "\(result.record.version)",
            "case.state": "\(result.record.state.name.rawValue)", "actor.id": "\(event.actor.operatorID)",
        ]) { $1 })
        for action in result.actions {
            switch action {
            case .raiseAlert(let key):
                notice("alert raised", metadata: base.merging([
                    "clock": "\(key.clock.rawValue)", "rung": "\(key.rung.rawValue)", "epoch": "\(key.epoch)",
                    "handler.id": "\(result.record.assignment?.handler.operatorID ?? "")", "matter": "\(result.record.matter.code)",
                ]) { $1 })
            case .alertSupervisors(let reason):
                notice("alert raised", metadata: base.merging([
                    "alert": "\(reason.rawValue)", "handler.id": "\(result.record.assignment?.handler.operatorID ?? "")",
                    "matter": "\(result.record.matter.code)",
                ]) { $1 })
            case .notify(let role, let reason):
                info("notification", metadata: base.merging(["role": "\(role.rawValue)", "reason": "\(reason.rawValue)"]) { $1 })
            default:
                break
            }
        }
    }
}
