import FacetAPI
import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import Hummingbird

/// The proof page and its script. The page reads what `GET /v1/transactions/{id}` and its proof route read (the
/// stored transaction and its block), so it refuses exactly the transactions that have no proof bundle.
extension NodeAPI {
    /// Registers `/dash/proof/:id` behind the session cookie, and `/dash/verify.js` for anyone.
    func addDashboardProofRoutes(_ router: Router<BasicRequestContext>, _ sessions: DashboardSessions) {
        router.get("/dash/proof/:id") { request, context in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await proofPage(viewer, context)
        }
        router.get("/dash/proof/:id/bundle") { request, context in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return try await proofBundle(viewer, context)
        }
        router.get("/dash/verify.js") { _, _ in ProofPage.scriptResponse() }
    }

    /// The proof bundle the page's script verifies, for the session's member: what `GET /v1/transactions/{id}/proof`
    /// answers that member (a browser holds a session cookie, not a key to sign reads with).
    private func proofBundle(_ viewer: Member, _ context: BasicRequestContext) async throws -> Response {
        try await proofResponse(TransactionID(try APIInput.id(context)), reader: Reader(viewer), what: "dashboard.proof")
    }

    /// The page, or the refusal with its stable code (404 for a transaction without a proof, as the JSON route).
    private func proofPage(_ viewer: Member, _ context: BasicRequestContext) async -> Response {
        let layoutViewer = Self.layoutViewer(viewer)
        do {
            let data = try await proofPageData(try APIInput.id(context), viewer: viewer)
            let title = "Proof of \(String(data.id.hex.prefix(10)))…"
            return DashboardLayout.response(
                DashboardLayout.page(title: title, viewer: layoutViewer, body: ProofPage.render(data)))
        } catch {
            return DashboardLayout.refusal(
                title: "Proof", code: error.code, message: error.message, viewer: layoutViewer, status: error.status)
        }
    }

    /// The record of an accepted, committed transaction the policy shows the viewer in full: its kind and signer
    /// from its bytes, its block's time. Any other transaction is the same 404 as one that does not exist.
    private func proofPageData(_ hash: Hash256, viewer: Member) async throws(APIError) -> ProofPage.Data {
        let id = TransactionID(hash)
        guard try await visibleTransaction(id, reader: Reader(viewer), what: "dashboard.proof") != nil else {
            throw APIError.notFound("transaction \(id.hex) is not an accepted, committed transaction of this chain")
        }
        let stored = try await read { () async throws(StoreError) in try await node.store.transaction(id) }
        guard let stored, stored.result.accepted, let logIndex = stored.logIndex else {
            throw APIError.notFound("transaction \(id.hex) is not an accepted, committed transaction of this chain")
        }
        let transaction = try await read { () throws(StoreError) in try stored.decoded() }
        let height = stored.height
        let block = try await read { () async throws(StoreError) in try await node.store.block(at: height) }
        guard let block else {
            throw APIError(NodeError(store: StoreError(.corrupt, "the block at height \(height) is missing")))
        }
        let signer = await node.record(Member.self, transaction.signer.hash)
        return ProofPage.Data(
            id: id, kind: transaction.body.kind.description, signer: transaction.signer, signerName: signer?.name,
            height: height, blockTime: block.header.time, logIndex: logIndex)
    }
}
