import FacetCore
import FacetLedger

/// A committed block read back: what block sync serves to a lagging peer and what an auditor's proof bundle
/// is built from.
public struct StoredBlock: Hashable, Sendable {
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let transactions: [Transaction]
    public let results: [TransactionResult]

    public init(
        header: BlockHeader, certificate: CommitCertificate, transactions: [Transaction], results: [TransactionResult]
    ) {
        self.header = header
        self.certificate = certificate
        self.transactions = transactions
        self.results = results
    }
}
