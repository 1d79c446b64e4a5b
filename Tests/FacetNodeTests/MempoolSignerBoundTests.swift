import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// The mempool's bound per signer, against a seeded stream of admissions and blocks: a signer at its bound is refused
/// `mempool.signer_full`, exactly then, while every other signer is admitted; a block taking some of its transactions
/// makes room again.
@Suite struct MempoolSignerBoundTests {
    static let bound = 5
    static let signers = ["firmA", "firmB", "firmC", "bank", "platform"]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aSignerAtItsBoundIsRefusedWhileOthersAreAdmitted(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var fixture = LedgerFixture(seed: seed)
        var pool = Mempool(bounds: Mempool.Bounds(maxCount: 1_000, maxBytes: 1 << 24, maxPerSigner: Self.bound))
        var pending = [String: [TransactionID]]()
        var refusals = [String: Int]()
        for step in 0..<600 {
            let signer = Self.signers[Int.random(in: 0..<Self.signers.count, using: &rng)]
            if Int.random(in: 0..<3, using: &rng) == 0 {
                // A block takes one of the signer's pending transactions.
                guard let taken = pending[signer]?.popLast() else { continue }
                pool.remove([taken])
                continue
            }
            let transaction = fixture.sign(
                signer, .grantConsent(.init(lender: fixture.id("lender"), expiresAt: nil)))
            let count = pending[signer, default: []].count
            let expected: String? = count < Self.bound ? nil : MempoolError.Code.signerFull.rawValue
            let code: String?
            do throws(MempoolError) {
                try pool.admit(
                    transaction, id: transaction.id, size: transaction.canonicalBytes.count, state: fixture.state)
                code = nil
                pending[signer, default: []].append(transaction.id)
            } catch {
                code = error.code.rawValue
                refusals[signer, default: 0] += 1
            }
            #expect(
                code == expected, "seed \(seed) step \(step): \(signer) with \(count) pending got \(code ?? "admitted")"
            )
            #expect(pool.pendingCount(for: fixture.id(signer)) == pending[signer, default: []].count, "seed \(seed)")
            #expect(pool.pendingCount(for: fixture.id(signer)) <= Self.bound, "seed \(seed) step \(step)")
        }
        // The bound was met, not merely possible: most signers were refused at some point, and admitted around it.
        #expect(refusals.count >= 3, "seed \(seed): \(refusals)")
        #expect(pool.count == pending.values.reduce(0) { $0 + $1.count }, "seed \(seed)")
    }
}
