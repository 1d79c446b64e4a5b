import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

@Suite struct MempoolTests {
    func consent(_ f: inout LedgerFixture, _ signer: String, nonce: UInt64? = nil) -> Transaction {
        let body = TransactionBody.grantConsent(.init(lender: f.id("lender"), expiresAt: nil))
        guard let nonce else { return f.sign(signer, body) }
        return Transaction.signed(
            chainID: LedgerFixture.chainID, signer: f.id(signer), nonce: nonce, body: body,
            key: f.actor(signer).key)
    }

    func admit(_ pool: inout Mempool, _ tx: Transaction, _ state: WorldState) -> String? {
        do throws(MempoolError) {
            try pool.admit(tx, id: tx.id, size: tx.canonicalBytes.count, state: state)
            return nil
        } catch {
            return error.code.rawValue
        }
    }

    @Test func admitsOnceAndRefusesWithCodes() {
        var f = LedgerFixture()
        var pool = Mempool()
        let good = consent(&f, "firmA")
        #expect(admit(&pool, good, f.state) == nil)
        #expect(admit(&pool, good, f.state) == "mempool.duplicate")
        let sameNonce = Transaction.signed(
            chainID: LedgerFixture.chainID, signer: f.id("firmA"), nonce: good.nonce,
            body: .revokeConsent(.init(lender: f.id("lender"))), key: f.actor("firmA").key)
        #expect(admit(&pool, sameNonce, f.state) == "mempool.nonce_taken")
        #expect(admit(&pool, consent(&f, "firmB", nonce: 0), f.state) == "tx.nonce_replay")
        let forged = Transaction.signed(
            chainID: LedgerFixture.chainID, signer: f.id("firmB"), nonce: 9,
            body: good.body, key: f.actor("firmC").key)
        #expect(admit(&pool, forged, f.state) == "tx.bad_signature")
        let outsider = f.addOutsider("stranger", roles: .firm)
        #expect(admit(&pool, consent(&f, "stranger"), f.state) == "tx.unknown_signer")
        _ = outsider
        #expect(pool.count == 1)
    }

    func admit(_ pool: inout Mempool, _ tx: Transaction, _ state: WorldState, verdict: SignatureVerdict) -> String? {
        do throws(MempoolError) {
            try pool.admit(tx, id: tx.id, size: tx.canonicalBytes.count, state: state, verdict: verdict)
            return nil
        } catch {
            return error.code.rawValue
        }
    }

    /// A verdict counts only while it is about the signer's key: one about another key (the signer rotated meanwhile)
    /// has the pool verify again, so a forged signature is still refused and a good one still admitted. A verdict
    /// about the signer's key is taken as it is, either way: no signature is verified twice.
    @Test func aVerdictCountsOnlyForTheSignersCurrentKey() {
        var f = LedgerFixture()
        var pool = Mempool()
        let forged = Transaction.signed(
            chainID: LedgerFixture.chainID, signer: f.id("firmB"), nonce: 1,
            body: .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)), key: f.actor("firmC").key)
        let firmC = f.actor("firmC").key.publicKey
        #expect(admit(&pool, forged, f.state, verdict: .valid(firmC)) == "tx.bad_signature")
        let good = consent(&f, "firmA")
        #expect(admit(&pool, good, f.state, verdict: .invalid(firmC)) == nil, "a verdict on another key: verified")
        let other = consent(&f, "firmC")
        #expect(admit(&pool, other, f.state, verdict: .invalid(firmC)) == "tx.bad_signature", "taken as it is")
        #expect(pool.count == 1 && pool.contains(good.id))
    }

    @Test func aFullPoolRefusesAndKeepsWhatItHas() {
        var f = LedgerFixture()
        var pool = Mempool(bounds: .init(maxCount: 3, maxBytes: 1 << 20))
        var admitted = [Transaction]()
        for signer in ["firmA", "firmB", "firmC"] {
            let tx = consent(&f, signer)
            #expect(admit(&pool, tx, f.state) == nil)
            admitted.append(tx)
        }
        #expect(admit(&pool, consent(&f, "firmA"), f.state) == "mempool.full")
        #expect(pool.count == 3)
        #expect(Set(pool.batch(maxCount: 10, maxBytes: 1 << 20).map(\.id)) == Set(admitted.map(\.id)))
        pool.remove([admitted[0].id])
        #expect(admit(&pool, consent(&f, "firmA"), f.state) == nil)
    }

    @Test func batchesKeepEachSignersNonceOrderAndTheLimits() {
        var f = LedgerFixture()
        var pool = Mempool()
        // firmA's nonce 2 arrives before its nonce 1; firmB's single transaction arrives in between.
        let a2 = consent(&f, "firmA", nonce: 2)
        let b1 = consent(&f, "firmB", nonce: 1)
        let a1 = consent(&f, "firmA", nonce: 1)
        for tx in [a2, b1, a1] { #expect(admit(&pool, tx, f.state) == nil) }
        let batch = pool.batch(maxCount: 10, maxBytes: 1 << 20)
        #expect(batch.map(\.id) == [b1.id, a1.id, a2.id])
        #expect(pool.batch(maxCount: 2, maxBytes: 1 << 20).count == 2)
        #expect(pool.batch(maxCount: 10, maxBytes: a1.canonicalBytes.count).count == 1)
        // The block commits all three: nonces advance, and the executor reuses the admission verdicts.
        let outcome = f.run(batch)
        #expect(outcome.results.allSatisfy { $0.accepted })
        pool.remove(batch.map(\.id))
        #expect(pool.count == 0 && pool.totalBytes == 0)
    }

    /// The executor accepts the pool's verdicts only for the key they were made under.
    @Test func verifiedSignaturesAreTiedToTheKey() {
        var f = LedgerFixture()
        var pool = Mempool()
        let tx = consent(&f, "firmA")
        #expect(admit(&pool, tx, f.state) == nil)
        let checker = pool.signatureChecker(for: [tx])
        #expect(checker.isValid(tx, id: tx.id, key: f.actor("firmA").key.publicKey))
        #expect(!checker.isValid(tx, id: tx.id, key: f.actor("firmB").key.publicKey))
    }
}
