public import BanjianDomain
import BanjianWire
import Foundation
import GRDB

extension NodeDatabase {
    /// The 督办 order this node issued for the operator's request id, if any.
    public func issuedOrder(operatorID: String, requestID: String) async throws -> SupervisionOrder? {
        try await pool.read { db in try Self.issuedOrder(operatorID: operatorID, requestID: requestID, in: db) }
    }

    static func issuedOrder(operatorID: String, requestID: String, in db: Database) throws -> SupervisionOrder? {
        guard let data = try Data.fetchOne(db, sql: "SELECT order_message FROM order_request WHERE operator_id = ? AND request_id = ?",
                                           arguments: [operatorID, requestID])
        else { return nil }
        do {
            return try SupervisionOrder(wire: Banjian_V1_SupervisionOrder(serializedBytes: data), field: "order")
        } catch {
            throw StoreError(.corrupt, "a stored 督办 order does not decode: \(error)")
        }
    }
}
