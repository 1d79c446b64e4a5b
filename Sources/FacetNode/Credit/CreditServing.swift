import FacetCore
import FacetCredit
import FacetLedger
import FacetStore
import Synchronization

/// Credit served beside the ledger, not inside its actor: a `FeatureIndex` applied to every committed block, kept
/// with the state of the same height (a copy-on-write share of the node's, taken at the commit), so a whole report or
/// page is computed from one height in one `read`, however many firms it covers and whatever commits meanwhile.
///
/// Attached to a node (`attach`), the index starts at genesis and catches up from the store (`catchUp`) while the
/// node serves; from then on every commit applies its block to the index too. Until it has caught up, reads are
/// refused with `credit.catching_up` and how far it got. The credit rules (which model decides, which lenders a
/// viewer sees, who applies to a lender) are in `CreditServing+Rules`.
public final class CreditServing: CommitObserver {
    /// The models, products and policies credit is decided with.
    public let library: CreditLibrary
    private let chain: Mutex<Chain>

    private struct Chain: Sendable {
        var index: FeatureIndex
        /// The node's state at its latest commit; nil until attached.
        var state: WorldState?
        var operatorID: MemberID?
    }

    public init(library: CreditLibrary, genesis: Genesis, settings: FeatureSettings = .standard) {
        self.library = library
        self.chain = Mutex(Chain(index: FeatureIndex(genesis: genesis, settings: settings)))
    }

    /// Observes `node`'s commits from now on.
    public func attach(to node: LedgerNode) async {
        await node.observeCommits(self)
    }

    public func attached(state: WorldState, operatorID: MemberID) {
        chain.withLock {
            $0.state = state
            $0.operatorID = operatorID
        }
    }

    /// In place when no read holds a view of the last height (a read that does makes this commit copy what it changes,
    /// copy-on-write); applied only when the index is at the previous height; behind, it catches up from the store.
    public func committed(
        header: BlockHeader, transactions: [Transaction], results: [TransactionResult], state: WorldState
    ) {
        chain.withLock {
            if $0.index.height == header.height - 1 {
                $0.index.apply(height: header.height, time: header.time, transactions: transactions, results: results)
            }
            $0.state = state
        }
    }

    /// Replays committed blocks from `store` into the index until it is at the head; `progress` gets the index's
    /// height and the head after each batch. Commits carry on meanwhile: a block committed while the index is behind
    /// is read back from the store.
    public func catchUp(
        store: any LedgerStore, progress: (_ height: UInt64, _ head: UInt64) -> Void = { _, _ in }
    ) async throws(NodeError) {
        // Features are read from every block since genesis; a state-synced store holds none before its base.
        let base: UInt64?
        do {
            base = try await store.syncBase()
        } catch {
            throw NodeError(store: error)
        }
        if let base, self.progress().height < base {
            throw NodeError(
                .creditNeedsHistory,
                "this node state-synced at height \(base): the credit index needs every block from 1 (restore a backup "
                    + "or replay the chain to serve credit)")
        }
        while case let (height, head) = self.progress(), height < head, !Task.isCancelled {
            let blocks: [StoredBlock]
            do {
                blocks = try await store.blocks(from: height + 1, limit: 64)
            } catch {
                throw NodeError(store: error)
            }
            let applied = chain.withLock { chain in
                var applied = 0
                for block in blocks where chain.index.height == block.header.height - 1 {
                    chain.index.apply(
                        height: block.header.height, time: block.header.time, transactions: block.transactions,
                        results: block.results)
                    applied += 1
                }
                return applied
            }
            // The store holds every committed block from 1 up; one missing is a fault to report, not to spin on.
            guard applied > 0 || self.progress().height > height else {
                throw NodeError(.unknownBlock, "the store has no block \(height + 1) for the credit index")
            }
            let now = self.progress()
            progress(now.height, now.head)
        }
    }

    /// Where the index stands against the node's head.
    public func progress() -> (height: UInt64, head: UInt64) {
        chain.withLock { ($0.index.height, $0.state?.height ?? 0) }
    }

    /// `body` over the index and the state of one height. The lock is held only to take that height's index and
    /// state (copy-on-write shares), never while `body` computes: a page of many firms does not hold up commits, and a
    /// commit meanwhile leaves the view as it was. Refused with `credit.catching_up` while the index is behind the head.
    public func read<T: Sendable>(_ body: (CreditView) throws(CreditRefusal) -> T) throws(CreditRefusal) -> T {
        let view: Result<CreditView, CreditRefusal> = chain.withLock { chain in
            guard let state = chain.state, chain.index.height == state.height, let time = chain.index.time else {
                return .failure(
                    CreditRefusal(
                        .catchingUp,
                        "the credit index is at height \(chain.index.height) of \(chain.state?.height ?? 0); "
                            + "try again shortly"))
            }
            return .success(CreditView(index: chain.index, state: state, time: time, operatorID: chain.operatorID))
        }
        return try body(try view.get())
    }
}
