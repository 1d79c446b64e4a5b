import Foundation

/// The PEM files of one node's TLS, as written to disk: the CA certificate it (and its clients and peers) trust,
/// its certificate and its key.
public struct NodeTLSFiles: Sendable, Hashable {
    public let caCertificate: String
    public let certificate: String
    public let key: String
    /// The base64 SHA-256 of the certificate's public key, to pin it (Chromium's
    /// `--ignore-certificate-errors-spki-list`).
    public let spkiSHA256: String

    /// A new CA (`ca.pem`, `ca.key.pem`) and a certificate it issued (`node.pem`, `node.key.pem`) in `folder`.
    public static func generate(
        in folder: URL, caName: String, nodeName: String, hosts: [String], now: Date = Date()
    ) throws(TLSFilesError) -> NodeTLSFiles {
        let ca = try CertificateAuthority.generate(name: caName, now: now)
        let caPath = folder.appendingPathComponent("ca.pem").path
        try ca.write(certificate: caPath, key: folder.appendingPathComponent("ca.key.pem").path)
        return try issue(
            by: ca, caCertificate: caPath, in: folder, file: "node", name: nodeName, hosts: hosts, now: now)
    }

    /// A certificate `ca` (whose certificate is the file `caCertificate`) issues for `hosts`, written as
    /// `<file>.pem` and `<file>.key.pem` in `folder`.
    public static func issue(
        by ca: CertificateAuthority, caCertificate: String, in folder: URL, file: String, name: String,
        hosts: [String], now: Date = Date()
    ) throws(TLSFilesError) -> NodeTLSFiles {
        let issued = try ca.issue(commonName: name, hosts: hosts, now: now)
        let certificate = folder.appendingPathComponent("\(file).pem").path
        let key = folder.appendingPathComponent("\(file).key.pem").path
        try issued.write(certificate: certificate, key: key)
        return NodeTLSFiles(
            caCertificate: caCertificate, certificate: certificate, key: key, spkiSHA256: issued.spkiSHA256)
    }
}
