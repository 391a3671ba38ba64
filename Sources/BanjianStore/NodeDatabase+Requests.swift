public import BanjianDomain
import BanjianWire
import Foundation
import GRDB

// What this node issued or registered under a request id: 督办 orders and consultations.

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

extension NodeDatabase {
    /// The consultation this node registered for the operator's request id, if any.
    public func consultation(operatorID: String, requestID: String) async throws -> Consultation? {
        try await pool.read { db in try Self.consultation(operatorID: operatorID, requestID: requestID, in: db) }
    }

    static func consultation(operatorID: String, requestID: String, in db: Database) throws -> Consultation? {
        try Data.fetchOne(db, sql: "SELECT message FROM consultation WHERE operator_id = ? AND request_id = ?", arguments: [operatorID, requestID])
            .map(consultation)
    }

    /// Every consultation kept here, the subtree's included.
    static func consultations(in db: Database) throws -> [Consultation] {
        try Data.fetchAll(db, sql: "SELECT message FROM consultation ORDER BY number").map(consultation)
    }

    private static func consultation(_ data: Data) throws -> Consultation {
        do {
            return try Consultation(wire: Banjian_V1_Consultation(serializedBytes: data), field: "consultation")
        } catch {
            throw StoreError(.corrupt, "a stored consultation does not decode: \(error)")
        }
    }
}
