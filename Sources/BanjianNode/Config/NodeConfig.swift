public import BanjianDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A node's configuration file (JSON), as written by `banjian init`.
///
/// Relative paths are relative to the file's directory. Flags and environment variables override
/// single fields (see ``NodeConfig/Overrides``); ``validated()`` names every problem at once.
public struct NodeConfig: Codable, Hashable, Sendable {
    public struct Node: Codable, Hashable, Sendable {
        /// 行政区划-style code: 6 digits for a county, 9 for a township, 12 for a village.
        public var code: String
        public var name: String
        /// "village", "township", "county" or "aboveCounty"; must match the code's length.
        public var level: String
    }

    public struct Parent: Codable, Hashable, Sendable {
        public var code: String
        /// host:port of the parent's federation listener.
        public var address: String
    }

    /// The node-to-node links (design.md, Federation).
    public struct Federation: Codable, Hashable, Sendable {
        /// host:port of the listener for the children's links: mutual TLS, the node code taken
        /// from the client certificate. Unset: the node accepts no children.
        public var listen: String?
        /// Codes of the children whose links are accepted (more with `banjian child add`).
        public var children: [String]?
        /// Seconds between heartbeats on a link (15); a peer silent for three is dropped.
        public var heartbeatSeconds: Double?
        /// Seconds a link may stay down before an alert is logged (300).
        public var alertAfterSeconds: Double?
        /// The longest wait between two dials of the parent, in seconds (60).
        public var maximumRedialSeconds: Double?

        public init(listen: String? = nil, children: [String]? = nil) {
            self.listen = listen
            self.children = children
        }
    }

    public struct TLS: Codable, Hashable, Sendable {
        /// PEM certificate chain of this node (the node code is its common name).
        public var certificate: String
        /// PEM private key of the certificate.
        public var privateKey: String
        /// PEM certificates of the CA that signs the federation's certificates.
        public var trustRoots: String
        /// Refuse clients without a certificate from `trustRoots` (mutual TLS).
        public var requireClientCertificates: Bool
    }

    /// The per-centre choices where the seeds disagree (domain.md §2.6); unset fields keep the
    /// documented defaults.
    public struct Settings: Codable, Hashable, Sendable {
        public var clockStart: CentreSettings.ClockStart?
        public var incompleteMaterials: CentreSettings.IncompleteMaterials?
        public var jointThreshold: Int?
        public var complexComplaintLimit: CentreSettings.ComplaintLimit?
        /// The monthly assessment's points, grades and awards (``AssessmentScheme``); unset
        /// fields keep the seeds' figures.
        public var assessment: AssessmentScheme?
        /// Working days the director has for the follow-up (回访) of a dissatisfied applicant (3).
        public var followUpWorkingDays: Int?
    }

    public var node: Node
    /// host:port to listen on (port 0: any free port).
    public var listen: String
    public var parent: Parent?
    public var federation: Federation?
    public var database: String
    public var tls: TLS
    /// The working-day calendar: "china-mainland" (statutory holidays and make-up days, with the
    /// shipped years).
    public var calendar: String
    /// Office hours of a working day, `08:30-12:00,14:30-17:30` unless set.
    public var officeHours: String?
    /// holiday-cn year files to load over the shipped years, such as next year's notice once the
    /// State Council publishes it. Live deadlines are re-projected at start when these change.
    public var holidays: [String]?
    public var settings: Settings?
    /// How many times faster than real time the node's clock runs (1: real time).
    public var clockRate: Double?
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String?

    public init(node: Node, listen: String, parent: Parent?, federation: Federation? = nil, database: String, tls: TLS,
                calendar: String = "china-mainland", settings: Settings? = nil, clockRate: Double? = nil, logLevel: String? = nil) {
        self.node = node
        self.listen = listen
        self.parent = parent
        self.federation = federation
        self.database = database
        self.tls = tls
        self.calendar = calendar
        self.settings = settings
        self.clockRate = clockRate
        self.logLevel = logLevel
    }

    /// Fields set on the command line or in the environment, which win over the file.
    public struct Overrides: Hashable, Sendable {
        public var listen: String?
        public var database: String?
        public var clockRate: Double?
        public var logLevel: String?

        public init(listen: String? = nil, database: String? = nil, clockRate: Double? = nil, logLevel: String? = nil) {
            self.listen = listen
            self.database = database
            self.clockRate = clockRate
            self.logLevel = logLevel
        }

        /// `BANJIAN_LISTEN`, `BANJIAN_DATABASE`, `BANJIAN_CLOCK_RATE`, `BANJIAN_LOG_LEVEL`.
        public static func environment(_ environment: [String: String]) throws(NodeConfigError) -> Overrides {
            var overrides = Overrides(listen: environment["BANJIAN_LISTEN"], database: environment["BANJIAN_DATABASE"],
                                      logLevel: environment["BANJIAN_LOG_LEVEL"])
            if let rate = environment["BANJIAN_CLOCK_RATE"] {
                guard let value = Double(rate) else { throw NodeConfigError(["BANJIAN_CLOCK_RATE: '\(rate)' is not a number"]) }
                overrides.clockRate = value
            }
            return overrides
        }

        /// These overrides with `other`'s set fields on top.
        public func merging(_ other: Overrides) -> Overrides {
            Overrides(listen: other.listen ?? listen, database: other.database ?? database,
                      clockRate: other.clockRate ?? clockRate, logLevel: other.logLevel ?? logLevel)
        }
    }

    /// Reads a config file and applies overrides.
    /// - Throws: `NodeConfigError` when the file is missing, is not JSON of this shape, or names
    ///   invalid values.
    public static func load(path: String, overrides: Overrides = Overrides()) throws(NodeConfigError) -> ResolvedNodeConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw NodeConfigError(["\(path): cannot read: \(error.localizedDescription)"])
        }
        var config: NodeConfig
        do { config = try JSONDecoder().decode(NodeConfig.self, from: data) } catch {
            throw NodeConfigError(["\(path): \(NodeConfigError.describe(error))"])
        }
        if let listen = overrides.listen { config.listen = listen }
        if let database = overrides.database { config.database = database }
        if let rate = overrides.clockRate { config.clockRate = rate }
        if let level = overrides.logLevel { config.logLevel = level }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try config.validated(relativeTo: directory)
    }

    /// The config checked and resolved; every problem is reported, not just the first.
    public func validated(relativeTo directory: String) throws(NodeConfigError) -> ResolvedNodeConfig {
        var problems: [String] = []
        let code = NodeCode(node.code)
        if code == nil { problems.append("node.code: '\(node.code)' is not a node code of 2, 4, 6, 9 or 12 digits") }
        let level = NodeLevel.named(node.level)
        if level == nil { problems.append("node.level: '\(node.level)' is not village, township, county or aboveCounty") }
        if let code, let level, code.level != level { problems.append("node.level: \(node.level) does not match code \(node.code)") }
        if node.name.allSatisfy(\.isWhitespace) { problems.append("node.name: must not be empty") }
        let listenAddress = HostPort(listen)
        if listenAddress == nil { problems.append("listen: '\(listen)' is not host:port") }
        var parentCode: NodeCode?
        var parentAddress: HostPort?
        if let parent {
            parentCode = NodeCode(parent.code)
            if let parentCode, let code {
                if code.parentCode != parentCode {
                    problems.append("parent.code: \(parent.code) is not the level directly above \(node.code) (\(code.parentCode?.rawValue ?? "none"))")
                }
            } else if parentCode == nil {
                problems.append("parent.code: '\(parent.code)' is not a node code")
            }
            parentAddress = HostPort(parent.address)
            if parentAddress == nil { problems.append("parent.address: '\(parent.address)' is not host:port") }
        }
        var links = LinkSettings()
        if let federation {
            if let listen = federation.listen {
                links.listen = HostPort(listen)
                if links.listen == nil { problems.append("federation.listen: '\(listen)' is not host:port") }
            }
            for (index, child) in (federation.children ?? []).enumerated() {
                guard let childCode = NodeCode(child) else {
                    problems.append("federation.children[\(index)]: '\(child)' is not a node code")
                    continue
                }
                if let code, childCode.parentCode != code { problems.append("federation.children[\(index)]: \(child) is not a child of \(node.code)") }
                links.children.insert(childCode)
            }
            func seconds(_ value: Double?, _ field: String, _ keep: Duration) -> Duration {
                guard let value else { return keep }
                guard value.isFinite, value >= 0.01, value <= 86_400 else {
                    problems.append("federation.\(field): must be in 0.01...86400 seconds, got \(value)")
                    return keep
                }
                return .milliseconds(Int64(value * 1000))
            }
            links.heartbeat = seconds(federation.heartbeatSeconds, "heartbeatSeconds", links.heartbeat)
            links.alertAfter = seconds(federation.alertAfterSeconds, "alertAfterSeconds", links.alertAfter)
            links.maximumRedial = seconds(federation.maximumRedialSeconds, "maximumRedialSeconds", links.maximumRedial)
        }
        var centre = CentreSettings.standard
        if let settings {
            if let value = settings.clockStart { centre.clockStart = value }
            if let value = settings.incompleteMaterials { centre.incompleteMaterials = value }
            if let value = settings.jointThreshold { centre.jointThreshold = value }
            if let value = settings.complexComplaintLimit { centre.complexComplaintLimit = value }
            if let value = settings.assessment { centre.assessment = value }
            if let days = settings.followUpWorkingDays { centre.limits.followUp = .workingDays(days) }
            problems += centre.problems.map { "settings: \($0)" }
        }
        let rate = clockRate ?? 1
        if !(rate.isFinite && rate >= 1 && rate <= 1_000_000) { problems.append("clockRate: must be in 1...1000000, got \(rate)") }
        let logLevel = self.logLevel ?? "info"
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            problems.append("logLevel: '\(logLevel)' is not a swift-log level")
        }
        func resolve(_ path: String, _ field: String, mustExist: Bool = true) -> String {
            if path.isEmpty { problems.append("\(field): must not be empty") }
            let resolved = path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).path
            if mustExist, !path.isEmpty, !FileManager.default.fileExists(atPath: resolved) {
                problems.append("\(field): \(resolved) does not exist")
            }
            return resolved
        }
        let certificate = resolve(tls.certificate, "tls.certificate")
        let privateKey = resolve(tls.privateKey, "tls.privateKey")
        let trustRoots = resolve(tls.trustRoots, "tls.trustRoots")
        let databasePath = resolve(database, "database", mustExist: false)
        var calendar: WorkingCalendar? = calendar == "china-mainland" ? .chinaMainland() : nil
        if calendar == nil { problems.append("calendar: '\(self.calendar)' is unknown (use china-mainland)") }
        if let officeHours {
            do { calendar = calendar?.withOfficeHours(try OfficeHours(parsing: officeHours)) } catch {
                problems.append("officeHours: \(error)")
            }
        }
        for (index, path) in (holidays ?? []).enumerated() {
            let field = "holidays[\(index)]"
            let resolved = resolve(path, field)
            guard FileManager.default.fileExists(atPath: resolved) else { continue }
            guard let data = FileManager.default.contents(atPath: resolved) else {
                problems.append("\(field): \(resolved): cannot read")
                continue
            }
            do { calendar = calendar?.loading(try HolidayYear(holidayCNJSON: data)) } catch {
                problems.append("\(field): \(resolved): \(error)")
            }
        }

        guard problems.isEmpty, let code, let level, let listenAddress, let calendar else { throw NodeConfigError(problems) }
        return ResolvedNodeConfig(
            code: code, name: node.name, level: level, listen: listenAddress,
            parent: parentCode.flatMap { code in parentAddress.map { (code, $0) } },
            databasePath: databasePath, certificatePath: certificate, privateKeyPath: privateKey, trustRootsPath: trustRoots,
            requireClientCertificates: tls.requireClientCertificates, links: links, calendar: calendar, settings: centre, clockRate: rate,
            logLevel: logLevel)
    }
}

/// A config with every value checked and every path absolute.
public struct ResolvedNodeConfig: Sendable {
    public var code: NodeCode
    public var name: String
    public var level: NodeLevel
    public var listen: HostPort
    public var parent: (code: NodeCode, address: HostPort)?
    public var databasePath: String
    public var certificatePath: String
    public var privateKeyPath: String
    public var trustRootsPath: String
    public var requireClientCertificates: Bool
    public var links: LinkSettings
    public var calendar: WorkingCalendar
    public var settings: CentreSettings
    public var clockRate: Double
    public var logLevel: String
}

/// A host and port, from `host:port` (an IPv6 host in brackets).
public struct HostPort: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A TCP port on 127.0.0.1 that nobody listens on now (the system's choice for port 0), for
    /// tests and load runs that must write a port into a config before the node starts.
    public static func freeLoopbackPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socket, raw, length) == 0 && getsockname(socket, raw, &length) == 0
            }
        }
        guard bound else { throw NodeConfigError(["no free port on 127.0.0.1: errno \(errno)"]) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A configuration that cannot be used: every problem, one per line.
public struct NodeConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public let problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }

    /// A decoding error as a path and a reason.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "file" : path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension NodeLevel {
    /// The level named as in the config file.
    static func named(_ name: String) -> NodeLevel? {
        switch name {
        case "village": .village
        case "township": .township
        case "county": .county
        case "aboveCounty": .aboveCounty
        default: nil
        }
    }

    /// The name used in the config file.
    public var configName: String {
        switch self {
        case .village: "village"
        case .township: "township"
        case .county: "county"
        case .aboveCounty: "aboveCounty"
        }
    }
}
