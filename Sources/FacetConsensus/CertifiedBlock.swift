import FacetCore
import FacetLedger

/// A committed block and the certificate that made it final: what block sync carries.
public struct CertifiedBlock: Hashable, Sendable, CanonicalCodable {
    public var block: ProposedBlock
    public var certificate: CommitCertificate

    public init(block: ProposedBlock, certificate: CommitCertificate) {
        self.block = block
        self.certificate = certificate
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(block)
        encoder.encode(certificate)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        block = try decoder.decode()
        certificate = try decoder.decode()
    }
}
