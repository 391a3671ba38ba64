import BanjianDomain
import BanjianStore
import BanjianWire
public import GRPCCore

extension RPCError {
    /// The one place where the node's errors become gRPC statuses.
    ///
    /// - `WireValidationError` and the state machine's field errors: INVALID_ARGUMENT, naming the
    ///   field;
    /// - an illegal transition: FAILED_PRECONDITION; a role or node not allowed, or an operator
    ///   not accountable for the case: PERMISSION_DENIED;
    /// - a missing case or matter: NOT_FOUND; a stale `expected_version`: ABORTED; a request id
    ///   reused for another command or an existing entry: ALREADY_EXISTS;
    /// - the store shutting down or failing: UNAVAILABLE; anything else: INTERNAL (logged, never
    ///   shown in detail).
    public init(banjian error: any Error) {
        switch error {
        case let error as RPCError:
            self = error
        case let error as WireValidationError:
            self.init(code: .invalidArgument, message: error.description)
        case let error as StoreError:
            if let transition = error.transition {
                self.init(transition: transition)
                return
            }
            let code: RPCError.Code = switch error.code {
            case .notFound: .notFound
            case .versionConflict: .aborted
            case .requestIDReused, .alreadyExists: .alreadyExists
            case .transition, .failedPrecondition: .failedPrecondition
            case .permissionDenied: .permissionDenied
            case .invalidArgument: .invalidArgument
            case .unavailable: .unavailable
            case .corrupt: .internalError
            }
            self.init(code: code, message: error.message)
        case let error as CaseTransitionError:
            self.init(transition: error)
        default:
            self.init(code: .internalError, message: "internal error")
        }
    }

    private init(transition error: CaseTransitionError) {
        let code: RPCError.Code = switch error {
        case .invalidField, .unknownMaterial, .unknownDepartment: .invalidArgument
        case .roleNotPermitted, .wrongNode, .selfApproval, .notAccountable: .permissionDenied
        case .caseAlreadyOpen: .alreadyExists
        default: .failedPrecondition
        }
        self.init(code: code, message: error.description)
    }
}
