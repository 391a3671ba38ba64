import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore
import Logging
import Synchronization

/// One live federation link, either end: the handshake, then batches from this node's outbox
/// with a window of unacknowledged batches, batches from the peer applied with the peer's cursor
/// in one transaction and then acknowledged, and heartbeats both ways.
///
/// The session ends by throwing: the peer closed the stream, fell silent for three heartbeats,
/// sent something it may not (`RPCError` PERMISSION_DENIED or INVALID_ARGUMENT), or a newer
/// session for the same peer superseded it. Nothing in it blocks the node: its writes go through
/// the case writer like any other command.
struct LinkSession: Sendable {
    /// Which end of the link this node is.
    enum End: Sendable {
        /// This node dialled its parent: it sends Hello and expects HelloAck.
        case child
        /// A child dialled this node: it expects Hello (naming the certificate's code) and answers.
        case parent
    }

    let end: End
    let peer: NodeCode
    let context: LinkContext

    /// Runs the link over `inbound` and `outbound` until it ends.
    /// - Throws: always, once the link ends; `RPCError` with the status the peer should see.
    func run<Inbound: AsyncSequence & Sendable>(inbound: Inbound, outbound: AsyncStream<Banjian_V1_LinkMessage>.Continuation)
        async throws where Inbound.Element == Banjian_V1_LinkMessage
    {
        let (session, wake) = context.registry.open(peer)
        let progress = Progress()
        defer { context.registry.closed(session, peer: peer, at: context.now()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receive(inbound, outbound: outbound, session: session, progress: progress) }
            group.addTask { try await send(outbound: outbound, session: session, wake: wake, progress: progress) }
            group.addTask { try await keepAlive(outbound: outbound, progress: progress) }
            // Commits of case events wake the sender at once; anything else queued (a catalogue
            // version published at the top or passed on from the parent) is picked up within a second.
            group.addTask {
                while true {
                    try await Task.sleep(for: min(.seconds(1), context.settings.heartbeat))
                    context.registry.wake(session)
                }
            }
            try await group.next()
            throw RPCError(code: .unavailable, message: "the link with node \(peer) ended")
        }
    }

    // MARK: Receiving

    private func receive<Inbound: AsyncSequence & Sendable>(
        _ inbound: Inbound, outbound: AsyncStream<Banjian_V1_LinkMessage>.Continuation, session: UInt64, progress: Progress
    ) async throws where Inbound.Element == Banjian_V1_LinkMessage {
        var messages = inbound.makeAsyncIterator()
        var applied = try await context.database.linkCursor(of: peer) ?? 0
        if end == .child { outbound.yield(.hello(node: context.node, name: context.name, resumeCursor: applied)) }
        guard let first = try await messages.next() else { throw closed("before the handshake") }
        progress.heard()
        let peerCursor: UInt64, software: String
        switch (end, first.kind) {
        case (.parent, .hello(let hello)?):
            guard hello.nodeCode == peer.rawValue else {
                throw RPCError(code: .permissionDenied, message: "Hello names node '\(hello.nodeCode)', but the certificate is node \(peer)")
            }
            try checkVersion(hello.protocolVersion)
            (peerCursor, software) = (hello.resumeCursor, hello.softwareVersion)
            let name = hello.nodeName.trimmingCharacters(in: .whitespacesAndNewlines)
            if !name.isEmpty, name.count <= 128, !name.contains(where: \.isNewline) {
                try await context.database.nameChild(peer, name: name)
            }
            outbound.yield(.helloAck(node: context.node, resumeCursor: applied))
        case (.child, .helloAck(let ack)?):
            guard ack.nodeCode == peer.rawValue else {
                throw RPCError(code: .permissionDenied, message: "HelloAck names node '\(ack.nodeCode)', not the parent \(peer)")
            }
            try checkVersion(ack.protocolVersion)
            (peerCursor, software) = (ack.resumeCursor, ack.softwareVersion)
        default:
            throw RPCError(code: .invalidArgument, message: "the first message must be \(end == .parent ? "Hello" : "HelloAck")")
        }
        // The peer applied what it says it applied: acknowledged, whatever acks were lost.
        do { try await context.database.acknowledge(peer, through: peerCursor, at: context.now()) } catch let error as StoreError {
            throw RPCError(code: .failedPrecondition, message: "node \(peer) resumes from \(peerCursor): \(error.message)")
        }
        progress.start(from: peerCursor)
        context.registry.connected(session, peer: peer, software: software, at: context.now())
        context.registry.wake(session)
        context.logger.notice("link up", metadata: ["peer": "\(peer)", "peer.software": "\(software)", "resume.sent": "\(peerCursor)",
                                           "resume.applied": "\(applied)"])

        while let message = try await messages.next() {
            progress.heard()
            switch message.kind {
            case .batch(let batch)?:
                let records: [(sequence: UInt64, payload: LinkPayload)]
                do { records = try batch.payloads(expecting: applied + 1) } catch {
                    throw RPCError(code: .invalidArgument, message: "batch from node \(peer): \(error)")
                }
                let at = context.now()
                let writes = records.map { sequence, payload in
                    let change: CaseWrite.Change = switch payload {
                    case .event(let event): .applyPeer(peer, event, cursor: sequence)
                    case .matter(let matter): .applyPeerMatter(peer, matter, cursor: sequence)
                    case .holidayYear(let year): .loadHolidayYear(year, from: peer, cursor: sequence)
                    case .order(let order): .applyPeerOrder(peer, order, cursor: sequence)
                    case .linkAlert(let alert): .applyPeerLinkAlert(peer, alert, cursor: sequence)
                    case .consultation(let consultation): .applyPeerConsultation(peer, consultation, cursor: sequence)
                    case .grievance(let grievance): .applyPeerGrievance(peer, grievance, cursor: sequence)
                    }
                    return CaseWrite(change, requestID: nil, actor: .system(of: context.node), at: at)
                }
                do { _ = try await context.writer.submitAll(writes) } catch {
                    throw refusal(error)
                }
                applied = batch.lastSequence
                outbound.yield(.ack(applied))
            case .ack(let ack)?:
                do { try await context.database.acknowledge(peer, through: ack.ackedSequence, at: context.now()) } catch let error as StoreError {
                    throw RPCError(code: .invalidArgument, message: "ack from node \(peer): \(error.message)")
                }
                progress.acknowledged(ack.ackedSequence)
                context.registry.wake(session)
            case .heartbeat?:
                break
            case .hello?, .helloAck?, nil:
                throw RPCError(code: .invalidArgument, message: "node \(peer) sent a second handshake or an empty message")
            }
        }
        throw closed("")
    }

    private func checkVersion(_ version: UInt32) throws {
        guard version == LinkProtocol.version else {
            throw RPCError(code: .failedPrecondition, message: "node \(peer) speaks link protocol \(version); this node speaks \(LinkProtocol.version)")
        }
    }

    private func closed(_ when: String) -> RPCError {
        RPCError(code: .unavailable, message: "node \(peer) closed the link\(when.isEmpty ? "" : " " + when)")
    }

    /// A batch the store refused, as the status the sender gets: nothing of it was applied.
    private func refusal(_ error: any Error) -> RPCError {
        guard let error = error as? StoreError else { return RPCError(code: .internalError, message: "batch from node \(peer) failed") }
        switch error.code {
        case .permissionDenied: return RPCError(code: .permissionDenied, message: "batch from node \(peer) refused: \(error.message)")
        case .unavailable: return RPCError(code: .unavailable, message: error.message)
        default: return RPCError(code: .invalidArgument, message: "batch from node \(peer) refused: \(error.message)")
        }
    }

    // MARK: Sending

    private func send(outbound: AsyncStream<Banjian_V1_LinkMessage>.Continuation, session: UInt64, wake: AsyncStream<Void>,
                      progress: Progress) async throws {
        var inFlight: [UInt64] = []
        var next: UInt64?
        for await _ in wake {
            guard context.registry.isCurrent(session, of: peer) else {
                throw RPCError(code: .aborted, message: "a newer link from node \(peer) replaced this one")
            }
            guard let start = progress.startedFrom else { continue }
            if next == nil { next = start + 1 }
            while let sequence = next {
                let acked = progress.ackedThrough
                inFlight.removeAll { $0 <= acked }
                guard inFlight.count < context.settings.window else { break }
                let entries = try await context.database.outboxEntries(to: peer, after: sequence - 1, limit: LinkProtocol.maximumRecords)
                guard let batch = Banjian_V1_EventBatch.cut(entries.map { ($0.sequence, $0.payload) }) else { break }
                outbound.yield(.batch(batch))
                inFlight.append(batch.lastSequence)
                next = batch.lastSequence + 1
            }
        }
        throw CancellationError()
    }

    // MARK: Heartbeats

    private func keepAlive(outbound: AsyncStream<Banjian_V1_LinkMessage>.Continuation, progress: Progress) async throws {
        while true {
            try await Task.sleep(for: context.settings.heartbeat)
            let depth = (try? await context.database.linkLedger(of: peer).outboxDepth) ?? 0
            outbound.yield(.heartbeat(at: context.now(), outboxDepth: depth))
            if progress.silence > context.settings.heartbeat * 3 {
                throw RPCError(code: .unavailable, message: "node \(peer) was silent for three heartbeats")
            }
        }
    }
}

/// What the session's tasks share: where the peer resumed, how far it acknowledged, and when it
/// was last heard.
private final class Progress: Sendable {
    private struct State {
        var startedFrom: UInt64?
        var ackedThrough: UInt64 = 0
        var lastHeard = ContinuousClock.now
    }

    private let state = Mutex(State())

    var startedFrom: UInt64? { state.withLock { $0.startedFrom } }
    var ackedThrough: UInt64 { state.withLock { $0.ackedThrough } }
    var silence: Duration { ContinuousClock.now - state.withLock { $0.lastHeard } }

    func start(from cursor: UInt64) { state.withLock { $0.startedFrom = cursor; $0.ackedThrough = cursor } }
    func acknowledged(_ sequence: UInt64) { state.withLock { $0.ackedThrough = max($0.ackedThrough, sequence) } }
    func heard() { state.withLock { $0.lastHeard = .now } }
}
