import FacetCore
import FacetLedger
import FacetStore
import HTTPTypes
import Hummingbird

/// Public reads: the member registry, pieces' identity cards with their histories, and recorded evidence.
extension NodeAPI {
    func addRegistryRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/members") { _, _ in APIJSON.response(await node.members().map(APIJSON.MemberBody.init)) }
        router.get("/v1/members/:id") { _, context in try await member(APIInput.id(context)) }
        router.get("/v1/pieces/:id") { _, context in try await piece(APIInput.id(context)) }
        router.get("/v1/evidence") { request, _ in try await evidenceList(APIInput.window(request)) }
        router.get("/v1/evidence/:id") { _, context in try await evidence(APIInput.id(context)) }
    }

    /// Evidence recorded in the window of block time, newest first. Public: a validator's misbehavior concerns
    /// every member. Served from the history index (every evidence record is indexed under
    /// `BlockIndexer.evidenceSubject`), then the records from the state.
    private func evidenceList(_ window: (from: Timestamp?, to: Timestamp?)) async throws -> Response {
        let page = try await read { () async throws(StoreError) in
            try await HistoryPager(store: node.store).entries(
                subject: BlockIndexer.evidenceSubject, from: window.from, to: window.to)
        }
        var ids = [Hash256]()
        for entry in page.entries.reversed() where entry.accepted {
            guard case .reportEvidence(let report) = try await committed(entry.transactionID).body else { continue }
            ids.append(EvidenceRecord.id(offender: report.misbehavior.offender, slot: report.misbehavior.slot))
        }
        let records = await node.records(EvidenceRecord.self, ids)
        return truncatable(APIJSON.response(records.map(APIJSON.EvidenceBody.init)), page.truncated)
    }

    private func evidence(_ hash: Hash256) async throws -> Response {
        guard let record = await node.record(EvidenceRecord.self, hash) else {
            throw APIError.notFound("no evidence \(hash.hex)")
        }
        return APIJSON.response(APIJSON.EvidenceBody(record))
    }

    private func member(_ hash: Hash256) async throws -> Response {
        guard let member = await node.record(Member.self, hash) else {
            throw APIError.notFound("no member \(hash.hex)")
        }
        return APIJSON.response(APIJSON.MemberBody(member))
    }

    /// The piece now, from the state, and every accepted transaction that named it, from the history index, in
    /// commit order. (A refused transaction changed nothing, so it is indexed under its signer only.)
    private func piece(_ hash: Hash256) async throws -> Response {
        let found = try await pieceHistory(hash)
        let history = found.steps.map { APIJSON.HistoryEntryBody($0.entry, signer: $0.signer) }
        return truncatable(APIJSON.response(APIJSON.PieceCardBody(found.piece, history: history)), found.truncated)
    }

    /// A piece and its steps with their signers: what the piece route and the dashboard's piece page show. 404 for
    /// an unknown piece.
    func pieceHistory(_ hash: Hash256) async throws(APIError) -> (
        piece: Piece, steps: [(entry: HistoryEntry, signer: MemberID)], truncated: Bool
    ) {
        guard let piece = await node.record(Piece.self, hash) else {
            throw APIError.notFound("no piece \(hash.hex)")
        }
        let page = try await read { () async throws(StoreError) in
            try await HistoryPager(store: node.store).entries(subject: hash, from: nil, to: nil)
        }
        var steps = [(entry: HistoryEntry, signer: MemberID)]()
        for entry in page.entries { steps.append((entry, try await committed(entry.transactionID).signer)) }
        return (piece, steps, page.truncated)
    }

    /// A committed transaction the history index named: it is in the store, or the store is inconsistent.
    func committed(_ id: TransactionID) async throws(APIError) -> Transaction {
        let stored = try await read { () async throws(StoreError) in try await node.store.transaction(id) }
        guard let stored else {
            throw APIError(NodeError(store: StoreError(.corrupt, "indexed transaction \(id.hex) is missing")))
        }
        return try await read { () throws(StoreError) in try stored.decoded() }
    }

    /// Flags an answer cut short at `HistoryPager.maxEntries` with the `Facet-Truncated: true` header.
    func truncatable(_ response: Response, _ truncated: Bool) -> Response {
        guard truncated else { return response }
        var response = response
        response.headers[NodeAPI.truncatedHeader] = "true"
        return response
    }

    static let truncatedHeader: HTTPField.Name = {
        guard let name = HTTPField.Name("Facet-Truncated") else { preconditionFailure("a valid header name") }
        return name
    }()
}
