/// The size limits of the wire contract (docs/wire.md "Validation limits").
package enum WireLimits {
    package static let requestID = 64
    package static let name = 64
    package static let idNumber = 32
    package static let phone = 32
    package static let address = 256
    package static let summary = 1000
    package static let opinion = 2000
    package static let longText = 4000
    package static let materialID = 32
    package static let title = 128
    package static let copies = 0...99
    package static let pages = 0...10_000
    package static let materials = 100
    /// Where one matter is decided besides its own level.
    package static let delegationTargets = 64
    package static let fenAmount: ClosedRange<Int64> = 0...1_000_000_000_000
    package static let feeBasis = 512
    package static let receiptNumber = 64
    package static let fees = 50
    package static let department = 64
    package static let matterCode = 64
    package static let documentNumber = 64
    package static let documentNumbers = 20
    package static let jointDepartments = 2...20
    package static let procedureSteps = 50
    package static let pageToken = 512
    package static let defaultPageSize = 50
    package static let maximumPageSize = 500
    package static let filters = 16
}
