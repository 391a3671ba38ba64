import BanjianDomain
import Foundation
import Synchronization

/// The node's links as they stand, for status and alerts, and the wake-up of each live link's
/// sender when a commit may have queued records for it.
///
/// One live session per peer: a new session for a peer supersedes the one before (a child that
/// redials after a half-open connection), which then ends.
final class LinkRegistry: Sendable {
    /// One link as this node sees it.
    struct Link: Sendable {
        var connected: Bool
        /// Connected or down since.
        var since: Date
        var peerSoftware: String = ""
        /// The session now serving the link.
        var session: UInt64?
        /// Whether the alert for this outage was logged.
        var alerted = false
    }

    private struct State {
        var links: [NodeCode: Link] = [:]
        var wakers: [UInt64: (peer: NodeCode, wake: AsyncStream<Void>.Continuation)] = [:]
        var nextSession: UInt64 = 1
    }

    private let state = Mutex(State())

    /// Records links expected from the start (the parent, registered children) as down since `at`.
    func expect(_ peers: [NodeCode], at instant: Date) {
        state.withLock { state in
            for peer in peers where state.links[peer] == nil { state.links[peer] = Link(connected: false, since: instant) }
        }
    }

    /// Starts a session for `peer`: any earlier session of that peer is woken to find itself
    /// superseded.
    /// - Returns: the session's id and its wake-up stream.
    func open(_ peer: NodeCode) -> (session: UInt64, wake: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield()
        let (id, superseded) = state.withLock { state -> (UInt64, [AsyncStream<Void>.Continuation]) in
            let id = state.nextSession
            state.nextSession += 1
            let earlier = state.wakers.filter { $0.value.peer == peer }.map(\.value.wake)
            state.wakers[id] = (peer, continuation)
            state.links[peer, default: Link(connected: false, since: Date.distantPast)].session = id
            return (id, earlier)
        }
        for wake in superseded { wake.yield() }
        return (id, stream)
    }

    /// Whether `session` still serves `peer`.
    func isCurrent(_ session: UInt64, of peer: NodeCode) -> Bool {
        state.withLock { $0.links[peer]?.session == session }
    }

    /// The handshake of `session` succeeded.
    func connected(_ session: UInt64, peer: NodeCode, software: String, at instant: Date) {
        state.withLock { state in
            guard state.links[peer]?.session == session else { return }
            state.links[peer] = Link(connected: true, since: instant, peerSoftware: software, session: session)
        }
    }

    /// `session` ended; the link is down unless a newer session serves it.
    func closed(_ session: UInt64, peer: NodeCode, at instant: Date) {
        let wake = state.withLock { state -> AsyncStream<Void>.Continuation? in
            let wake = state.wakers.removeValue(forKey: session)?.wake
            if state.links[peer]?.session == session {
                let software = state.links[peer]?.peerSoftware ?? ""
                state.links[peer] = Link(connected: false, since: instant, peerSoftware: software)
            }
            return wake
        }
        wake?.finish()
    }

    /// Wakes the sender of `peer`'s session (an acknowledgement arrived).
    func wake(_ session: UInt64) {
        let wake = state.withLock { $0.wakers[session]?.wake }
        wake?.yield()
    }

    /// Wakes every live sender: a commit may have queued records for any of them.
    func wakeAll() {
        for wake in state.withLock({ $0.wakers.values.map(\.wake) }) { wake.yield() }
    }

    /// Ends every session (graceful shutdown): each sender wakes to find itself superseded.
    func endAll() {
        let wakes = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            for peer in state.links.keys { state.links[peer]?.session = nil }
            return state.wakers.values.map(\.wake)
        }
        for wake in wakes { wake.yield() }
    }

    /// Every link, by peer.
    func snapshot() -> [NodeCode: Link] { state.withLock { $0.links } }

    /// The links down for `limit` or longer whose alert is not logged yet; they are marked alerted.
    func newlyDownTooLong(at instant: Date, limit: Duration) -> [(peer: NodeCode, since: Date)] {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        return state.withLock { state in
            var due: [(NodeCode, Date)] = []
            for (peer, link) in state.links where !link.connected && !link.alerted && instant.timeIntervalSince(link.since) >= seconds {
                state.links[peer]?.alerted = true
                due.append((peer, link.since))
            }
            return due.sorted { $0.0 < $1.0 }
        }
    }
}
