import FacetCore
import FacetCredit
import FacetLedger
import FacetStore

/// The credit engine's view of the chain: a `FeatureIndex` applied to every committed block, in the same actor as
/// the state, so a report reads features and records of one and the same height.
///
/// A node that enables credit starts its index at genesis and catches up from the store (`catchUpCredit`) while it
/// serves; from then on every commit applies its block to the index too. Until it has caught up, credit requests
/// are answered 503 `credit.catching_up` with how far it got.
extension LedgerNode {
    /// Starts an empty index at genesis. Blocks committed from now on apply once `catchUpCredit` reached them.
    public func enableCredit(settings: FeatureSettings = .standard) {
        guard creditIndex == nil else { return }
        creditIndex = FeatureIndex(genesis: genesis, settings: settings)
    }

    /// Replays committed blocks from the store into the index until it is at the head; `progress` gets the
    /// index's height and the head after each batch. Commits carry on meanwhile: a block committed while the index
    /// is behind is read back from the store.
    public func catchUpCredit(progress: (_ height: UInt64, _ head: UInt64) -> Void = { _, _ in })
        async throws(NodeError)
    {
        // Features are read from every block since genesis; a state-synced store holds none before its base.
        let base: UInt64?
        do {
            base = try await store.syncBase()
        } catch {
            throw NodeError(store: error)
        }
        if let base, (creditIndex?.height ?? 0) < base {
            throw NodeError(
                .creditNeedsHistory,
                "this node state-synced at height \(base): the credit index needs every block from 1 (restore a backup "
                    + "or replay the chain to serve credit)")
        }
        while let height = creditIndex?.height, height < state.height, !Task.isCancelled {
            let blocks: [StoredBlock]
            do {
                blocks = try await store.blocks(from: height + 1, limit: 64)
            } catch {
                throw NodeError(store: error)
            }
            var applied = 0
            for block in blocks where creditIndex?.height == block.header.height - 1 {
                creditIndex?.apply(
                    height: block.header.height, time: block.header.time, transactions: block.transactions,
                    results: block.results)
                applied += 1
            }
            // The store holds every committed block from 1 up; one missing is a fault to report, not to spin on.
            guard applied > 0 else {
                throw NodeError(.unknownBlock, "the store has no block \(height + 1) for the credit index")
            }
            progress(creditIndex?.height ?? 0, state.height)
        }
    }

    /// Where the credit index stands: nil when the node serves no credit.
    public func creditProgress() -> (height: UInt64, head: UInt64)? {
        creditIndex.map { ($0.height, state.height) }
    }

    /// Everything a decision about `firm` reads, at the index's height, which is the state's: its features as of
    /// that block's time, its pieces in stock and open receivables as the state holds them, and the reference
    /// prices. Receivables issued more than `receivableDays` before that time are left out (nil keeps them all):
    /// no product counts an invoice past its aging cut-off. Nil while the index is behind the head (or credit is
    /// off).
    public func creditEvidence(firm: MemberID, receivableDays: Int? = nil) -> CreditEvidence? {
        guard let index = creditIndex, index.height == state.height, let time = index.time else { return nil }
        let features = index.features(of: firm, asOf: time)
        let state = state
        let pieces = index.stock(of: firm).compactMap { state.record(Piece.self, $0.hash) }.map { piece in
            CollateralPiece(piece) { state.record(Member.self, $0.hash)?.status == .suspended }
        }
        let since = receivableDays.map {
            Timestamp(uncheckedMillis: max(0, time.millis - Int64($0) * Timestamp.millisPerDay))
        }
        let receivables = index.openReceivables(of: firm, issuedSince: since)
            .compactMap { state.record(Invoice.self, $0.hash) }.map(Receivable.init)
        return CreditEvidence(
            features: features, pieces: pieces, receivables: receivables, prices: index.priceSeries(asOf: time),
            currency: index.figuresCurrency ?? .cny)
    }

    /// The firms that granted `lender` consent, with the index's height; nil while catching up.
    public func creditApplicants(of lender: MemberID) -> [MemberID]? {
        guard let index = creditIndex, index.height == state.height else { return nil }
        return index.applicants(of: lender)
    }
}
