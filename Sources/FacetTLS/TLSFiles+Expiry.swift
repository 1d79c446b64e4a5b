import Foundation
import SwiftASN1
import X509

extension TLSFiles {
    /// When the first certificate of a PEM file stops being valid: the earliest `notValidAfter` of the certificates
    /// it holds (a chain fails when any of them expires). A node exports it for each file it serves or trusts, so an
    /// alert fires weeks before a link breaks.
    public static func expiry(ofCertificates path: String) throws(TLSFilesError) -> Date {
        let certificates: [Certificate]
        do {
            let documents = try PEMDocument.parseMultiple(pemString: try String(contentsOfFile: path, encoding: .utf8))
            certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map {
                try Certificate(pemDocument: $0)
            }
        } catch {
            throw TLSFilesError(.unreadable, "cannot read the certificates in \(path): \(error)")
        }
        guard let earliest = certificates.map(\.notValidAfter).min() else {
            throw TLSFilesError(.unreadable, "\(path) holds no certificate")
        }
        return earliest
    }
}
