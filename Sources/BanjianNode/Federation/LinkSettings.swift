public import BanjianDomain

/// How a node runs its federation links (`federation` in the config).
public struct LinkSettings: Hashable, Sendable {
    /// Where the children's links are accepted (mutual TLS); `nil`: no listener.
    public var listen: HostPort?
    /// Children named in the config; `banjian child add` registers more in the database.
    public var children: Set<NodeCode> = []
    /// Between heartbeats; a peer silent for three is dropped.
    public var heartbeat: Duration = .seconds(15)
    /// How long a link may be down before an alert is logged.
    public var alertAfter: Duration = .seconds(300)
    /// The first wait before redialling the parent; it doubles up to ``maximumRedial``.
    public var firstRedial: Duration = .seconds(1)
    public var maximumRedial: Duration = .seconds(60)
    /// Batches sent and not yet acknowledged, at most.
    public var window = 8

    public init() {}

    /// The wait before redial number `attempt` (0 for the first): exponential from
    /// ``firstRedial`` up to ``maximumRedial``, with full jitter in its upper half.
    public func redialDelay(attempt: Int, jitter: Double) -> Duration {
        let base = firstRedial * Double(1 << min(attempt, 20))
        let capped = min(base, maximumRedial)
        return capped * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }
}

/// The host name a node's certificate carries for its code, checked by a child when it dials its
/// parent (TLS host name verification).
public enum NodeIdentity {
    public static func hostname(of code: NodeCode) -> String { "\(code.rawValue).node.banjian" }
}
