import Crypto
public import Foundation
import SwiftASN1
public import X509

/// The federation's certificate authority: it signs every node's certificate, with the node code
/// as the certificate's common name. `banjian init` makes a demo one; `banjian cert` issues more.
///
/// Keys are P-256, generated at run time from the system's secure generator.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    private let privateKey: Certificate.PrivateKey

    /// A PEM certificate and its PEM private key.
    public struct Issued: Sendable {
        public let certificatePEM: String
        public let privateKeyPEM: String
    }

    /// A new self-signed CA, valid from `notBefore` for `days` days.
    public static func generate(name: String, notBefore: Date, days: Int) throws -> CertificateAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("Banjian")
            CommonName(name)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: notBefore, notValidAfter: notBefore.addingTimeInterval(Double(days) * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: key)
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// The CA saved by ``pem``.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        certificate = try Certificate(pemEncoded: certificatePEM)
        privateKey = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
    }

    private init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The CA's own certificate and key, to save.
    public func pem() throws -> Issued {
        Issued(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: try privateKey.serializeAsPEM().pemString)
    }

    /// A certificate for a node or a staff client, for both server and client authentication.
    /// - Parameters:
    ///   - commonName: the node code (or a client's name).
    ///   - dnsNames: host names it serves (`localhost` is always included).
    ///   - ipAddresses: IPv4 addresses it serves, dotted (`127.0.0.1` is always included).
    ///   - notBefore: start of validity; `days`: length of validity.
    public func issue(commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], notBefore: Date, days: Int) throws -> Issued {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        var names: [GeneralName] = Array(Set(["localhost"] + dnsNames)).sorted().map { .dnsName($0) }
        for address in Set(["127.0.0.1"] + ipAddresses).sorted() {
            let octets = address.split(separator: ".").compactMap { UInt8($0) }
            guard octets.count == 4 else { throw CertificateAuthorityError("'\(address)' is not an IPv4 address") }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets))))
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: notBefore, notValidAfter: notBefore.addingTimeInterval(Double(days) * 86_400),
            issuer: self.certificate.subject, subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: privateKey)
        return Issued(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: try key.serializeAsPEM().pemString)
    }
}

/// A certificate request that cannot be met.
public struct CertificateAuthorityError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
