public import Foundation

/// One application material on the 补交材料清单: required, already provided, or supplied later.
public struct Material: Hashable, Sendable, Codable, Identifiable {
    /// Where the material stands.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// 已有材料: handed in with the application.
        case provided
        /// Listed on the one-time notice (一次性告知) and not yet handed in.
        case missing
        /// 补齐材料: handed in after the notice.
        case suppliedLater
    }

    /// Unique within the case.
    public let id: String
    public var name: String
    public var copies: Int
    public var pages: Int
    /// The main document (主件) of the application: without it a case is returned, not supplemented
    /// (003 篇1 六件 三).
    public var isMainDocument: Bool
    public var status: Status

    public init(id: String, name: String, copies: Int = 1, pages: Int = 0, isMainDocument: Bool = false, status: Status) {
        self.id = id
        self.name = name
        self.copies = copies
        self.pages = pages
        self.isMainDocument = isMainDocument
        self.status = status
    }
}

/// A fee on a case, in integer fen (分). Agency is free: only fees that policy requires are
/// collected (domain.md §5.4).
public struct Fee: Hashable, Sendable, Codable {
    public var item: String
    /// 收费依据: the document that allows the fee.
    public var basis: String
    public var amountFen: Int64
    public var receiptNumber: String
    /// Prepaid to a village agent (已预交费用 on the 代理交接单).
    public var prepaid: Bool

    public init(item: String, basis: String, amountFen: Int64, receiptNumber: String = "", prepaid: Bool = false) {
        self.item = item
        self.basis = basis
        self.amountFen = amountFen
        self.receiptNumber = receiptNumber
        self.prepaid = prepaid
    }
}

/// The agency hand-over slip (便民服务代理交接单) a village agent fills in when a citizen entrusts
/// them: numbered, with a stub and a principal's copy.
public struct AgencyHandover: Hashable, Sendable, Codable {
    /// The slip's serial number (NO.).
    public var serialNumber: String
    /// The village agent point that took the application.
    public var village: NodeCode
    /// The materials the principal handed over, with copy counts (委托人提供资料目录).
    public var materialIDs: [String]
    public var prepaidFen: Int64
    /// 取件时间: when the principal expects to collect the result.
    public var pickupAt: Date?
    public var principalSigned: Bool
    public var agentSigned: Bool

    public init(serialNumber: String, village: NodeCode, materialIDs: [String], prepaidFen: Int64 = 0,
                pickupAt: Date? = nil, principalSigned: Bool = true, agentSigned: Bool = true) {
        self.serialNumber = serialNumber
        self.village = village
        self.materialIDs = materialIDs
        self.prepaidFen = prepaidFen
        self.pickupAt = pickupAt
        self.principalSigned = principalSigned
        self.agentSigned = agentSigned
    }
}
