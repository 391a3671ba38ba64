/// A person or organisation on the applicant side of a case: the applicant (申请人) or the
/// principal who entrusted them (委托人), as on the 办(代)理单.
public struct Party: Hashable, Sendable, Codable {
    public var name: String
    /// Resident identity card or unified social credit code; may be empty.
    public var idNumber: String
    public var phone: String
    /// 单位或住址: work unit or home address.
    public var address: String

    public init(name: String, idNumber: String = "", phone: String = "", address: String = "") {
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.address = address
    }
}
