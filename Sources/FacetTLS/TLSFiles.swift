import Crypto
import Foundation

/// PEM files on disk, and the one rule that decides when TLS is required: an address that is not loopback.
public enum TLSFiles {
    /// True for `localhost`, any 127.0.0.0/8 address and `::1`: a link that never leaves the machine, where plain
    /// HTTP and plain peer links are allowed. Everything else (a routable address, a name, `0.0.0.0`, `::`) needs
    /// TLS unless the operator opts out.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        if let bytes = CertificateAuthority.ipBytes(bare) {
            if bytes.count == 4 { return bytes[0] == 127 }
            return bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
        return false
    }

    /// Writes `text` to `path`, creating its folder; a secret (a private key) is readable by its owner only.
    public static func write(_ text: String, to path: String, secret: Bool) throws(TLSFilesError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes(
                [.posixPermissions: secret ? 0o600 : 0o644], ofItemAtPath: path)
        } catch {
            throw TLSFilesError(.unwritable, "cannot write \(path): \(error)")
        }
    }

    /// The base64 SHA-256 of the public key of a PEM private-key file (P-256), as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    public static func spkiSHA256(keyFile: String) throws(TLSFilesError) -> String {
        do {
            let key = try P256.Signing.PrivateKey(
                pemRepresentation: try String(contentsOfFile: keyFile, encoding: .utf8))
            return CertificateAuthority.spkiHash(key.publicKey)
        } catch {
            throw TLSFilesError(.unreadable, "cannot read the P-256 key \(keyFile): \(error)")
        }
    }
}
