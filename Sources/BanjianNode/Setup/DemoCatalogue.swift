public import BanjianDomain
public import Foundation

/// A small matter catalogue for demo nodes: common township matters with their limits.
public enum DemoCatalogue {
    public static func matters(owner: NodeCode, publishedAt: Date) -> [Matter] {
        [
            Matter(code: "MZ-001", name: "城乡居民最低生活保障申请", department: "社会事务服务部", authority: .county, owner: owner,
                   materials: [.init(name: "申请书", isMainDocument: true), .init(name: "户口簿复印件"), .init(name: "收入证明")],
                   statutoryLimit: .workingDays(30), promisedLimit: .workingDays(15), defaultKind: .escalated,
                   agencyAllowed: true, publishedAt: publishedAt),
            Matter(code: "HJ-002", name: "户籍证明开具", department: "综合服务窗口", authority: .township, owner: owner,
                   materials: [.init(name: "身份证", isMainDocument: true)],
                   promisedLimit: .workingMinutes(30), defaultKind: .immediate, agencyAllowed: true, publishedAt: publishedAt),
            Matter(code: "JS-003", name: "生育登记", department: "社会事务服务部", authority: .township, owner: owner,
                   materials: [.init(name: "结婚证", isMainDocument: true), .init(name: "夫妻双方身份证")],
                   statutoryLimit: .workingDays(10), promisedLimit: .workingDays(5), agencyAllowed: true, publishedAt: publishedAt),
        ]
    }
}
