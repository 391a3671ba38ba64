public import BanjianDomain

/// A store operation that failed; nothing was changed. Services map ``code`` to a gRPC status.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, for the status a client gets.
    public enum Code: String, Hashable, Sendable {
        /// No such case, event, operator or matter.
        case notFound
        /// The case is not at the version the client expected.
        case versionConflict
        /// The request id was used before for a different command.
        case requestIDReused
        /// The same thing exists already (a matter version, an operator).
        case alreadyExists
        /// The state machine refused the event.
        case transition
        /// The command is not allowed as things stand (a withdrawn matter, an event out of order).
        case failedPrecondition
        /// The sender may not send this (a federation peer outside its entitlement), or the actor's
        /// role may not do it.
        case permissionDenied
        /// A field of the command is wrong (found by the rules, after the wire's own checks).
        case invalidArgument
        /// The database cannot be used (cannot open, disk full, shutting down).
        case unavailable
        /// Stored data failed to decode.
        case corrupt
    }

    public let code: Code
    public let message: String
    /// The state machine's error, for `.transition`.
    public let transition: CaseTransitionError?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.transition = nil
    }

    public init(_ error: CaseTransitionError) {
        self.code = .transition
        self.message = error.description
        self.transition = error
    }

    /// A petition or complaint command the rules refused: `.permissionDenied` for a role, else
    /// `.failedPrecondition` or, for a field, `.transition` as a case's would be.
    public init(_ error: GrievanceError) {
        switch error {
        case .roleNotPermitted: self.init(.permissionDenied, error.description)
        case .invalidField: self.init(.invalidArgument, error.description)
        case .notAllowed, .rungAlreadyFired, .staleRung: self.init(.failedPrecondition, error.description)
        }
    }

    public var description: String { message }
}
