import Crypto
import Foundation
import SwiftASN1
import X509

/// A private certificate authority: a P-256 key and its self-signed CA certificate, which issues the certificates
/// of a consortium's nodes. `facet devnet --tls` makes one per devnet and `facet node init` one per node when no
/// certificate is given; clients trust it with `--cacert` (its certificate file), peers with `consensus.tls`.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// A new CA named `name`, valid from an hour before `now` (clocks drift) for `days` days.
    public static func generate(name: String, now: Date = Date(), days: Int = 3_650) throws(TLSFilesError)
        -> CertificateAuthority
    {
        let key = P256.Signing.PrivateKey()
        let subject = try distinguishedName(name)
        do {
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            return CertificateAuthority(certificate: certificate, key: key)
        } catch {
            throw TLSFilesError(.generation, "cannot make the CA certificate \(name): \(error)")
        }
    }

    /// The CA of two PEM files written by `write(certificate:key:)`, to issue more certificates.
    public static func read(certificate certificatePath: String, key keyPath: String) throws(TLSFilesError)
        -> CertificateAuthority
    {
        do {
            let certificate = try Certificate(pemEncoded: try String(contentsOfFile: certificatePath, encoding: .utf8))
            let key = try P256.Signing.PrivateKey(
                pemRepresentation: try String(contentsOfFile: keyPath, encoding: .utf8))
            return CertificateAuthority(certificate: certificate, key: key)
        } catch {
            throw TLSFilesError(.unreadable, "cannot read the CA from \(certificatePath) and \(keyPath): \(error)")
        }
    }

    /// A certificate for a node reached at `hosts` (IP literals and DNS names, each a subject alternative name),
    /// usable both to serve (HTTPS, a peer accepting) and to dial (a peer presenting its client certificate in
    /// mutual TLS). A new P-256 key each time; valid from an hour before `now` for `days` days.
    public func issue(commonName: String, hosts: [String], now: Date = Date(), days: Int = 825) throws(TLSFilesError)
        -> IssuedCertificate
    {
        let key = P256.Signing.PrivateKey()
        do {
            let names = hosts.map { host -> GeneralName in
                if let bytes = Self.ipBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: bytes[...])) }
                return .dnsName(host)
            }
            let leaf = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: certificate.subject, subject: try Self.distinguishedName(commonName),
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    SubjectAlternativeNames(names)
                    SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
                },
                issuerPrivateKey: Certificate.PrivateKey(self.key))
            return IssuedCertificate(
                certificatePEM: try leaf.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
                spkiSHA256: Self.spkiHash(key.publicKey))
        } catch {
            throw TLSFilesError(
                .generation, "cannot issue a certificate for \(hosts.joined(separator: ", ")): \(error)")
        }
    }

    /// The CA certificate as PEM: the file clients pass as `--cacert` and peers as their trust roots.
    public var certificatePEM: String {
        get throws(TLSFilesError) {
            do {
                return try certificate.serializeAsPEM().pemString
            } catch {
                throw TLSFilesError(.generation, "cannot encode the CA certificate: \(error)")
            }
        }
    }

    /// The CA's private key as PKCS #8 PEM.
    public var keyPEM: String { key.pemRepresentation }

    /// Writes the CA certificate and (readable by the owner only) its key.
    public func write(certificate certificatePath: String, key keyPath: String) throws(TLSFilesError) {
        try TLSFiles.write(try certificatePEM, to: certificatePath, secret: false)
        try TLSFiles.write(keyPEM, to: keyPath, secret: true)
    }

    /// The base64 SHA-256 of a key's SubjectPublicKeyInfo, the form Chromium's
    /// `--ignore-certificate-errors-spki-list` and HTTP public-key pinning take.
    static func spkiHash(_ key: P256.Signing.PublicKey) -> String {
        Data(SHA256.hash(data: key.derRepresentation)).base64EncodedString()
    }

    static func distinguishedName(_ commonName: String) throws(TLSFilesError) -> DistinguishedName {
        do {
            return try DistinguishedName {
                OrganizationName("Facet")
                CommonName(commonName)
            }
        } catch {
            throw TLSFilesError(.generation, "\(commonName) cannot be a certificate name: \(error)")
        }
    }

    /// The bytes of an IPv4 or IPv6 literal; nil for a name.
    static func ipBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
