import Foundation

/// A certificate the CA issued, with its new private key, as PEM.
public struct IssuedCertificate: Sendable, Hashable {
    public let certificatePEM: String
    public let keyPEM: String
    /// The base64 SHA-256 of the certificate's public key (SubjectPublicKeyInfo), to pin it (Chromium's
    /// `--ignore-certificate-errors-spki-list`).
    public let spkiSHA256: String

    /// Writes the certificate and (readable by the owner only) the key.
    public func write(certificate certificatePath: String, key keyPath: String) throws(TLSFilesError) {
        try TLSFiles.write(certificatePEM, to: certificatePath, secret: false)
        try TLSFiles.write(keyPEM, to: keyPath, secret: true)
    }
}
