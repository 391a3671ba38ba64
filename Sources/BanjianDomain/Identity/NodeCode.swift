/// The code of a node in the federation, in the style of China's administrative division codes
/// (行政区划代码): 2 digits for a province, 4 for a city, 6 for a county, 9 for a township or
/// street, 12 for a village or community.
public struct NodeCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The digits of the code.
    public let rawValue: String

    /// The lengths a code may have, one per administrative level.
    public static let validLengths: Set<Int> = [2, 4, 6, 9, 12]

    /// Creates a node code, or returns `nil` unless `rawValue` is 2, 4, 6, 9 or 12 ASCII digits.
    public init?(_ rawValue: String) {
        guard Self.validLengths.contains(rawValue.utf8.count),
              rawValue.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        self.rawValue = rawValue
    }

    /// The administrative level the code's length denotes.
    public var level: NodeLevel {
        switch rawValue.utf8.count {
        case 12: .village
        case 9: .township
        case 6: .county
        default: .aboveCounty
        }
    }

    /// Whether `other` lies in this node's subtree (or is this node).
    public func contains(_ other: NodeCode) -> Bool { other.rawValue.hasPrefix(rawValue) }

    /// The county above this node (the first 6 digits), or `nil` for a county or a node above one.
    public var county: NodeCode? {
        rawValue.utf8.count > 6 ? NodeCode(String(rawValue.prefix(6))) : nil
    }

    public var description: String { rawValue }
    public static func < (lhs: NodeCode, rhs: NodeCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The level of a node in the federation tree.
public enum NodeLevel: Int, Hashable, Sendable, Codable, CaseIterable {
    /// 村(社区) agent point (代理点).
    case village = 1
    /// 乡镇(街道) convenience-service centre (便民服务中心).
    case township = 2
    /// 县(市、区) government-service centre (政务服务中心).
    case county = 3
    /// A city or province level above the county.
    case aboveCounty = 4
}
