import BanjianDomain
import BanjianStore
import Foundation
import Logging

/// What every part of a node's federation shares: the node, its store and writer, the live
/// links, the link settings, its clock and its logger.
struct LinkContext: Sendable {
    let node: NodeCode
    /// The centre's name, which a child tells its parent in its Hello.
    let name: String
    let database: NodeDatabase
    let writer: CaseWriter
    let registry: LinkRegistry
    let settings: LinkSettings
    let now: @Sendable () -> Date
    let logger: Logger
}
