import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetWire
import HTTPTypes
import Hummingbird

/// The member registry and recorded evidence (consortium records: any active member reads them with a signature),
/// and pieces: a provenance card to anyone, the full card (owner, invoice, pledge, every step) to those the access
/// policy shows it.
extension NodeAPI {
    func addRegistryRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/members") { request, _ in
            _ = try await consortiumReader(request)
            return APIJSON.response(await node.members().map(APIJSON.MemberBody.init))
        }
        router.get("/v1/members/:id") { request, context in
            let hash = try APIInput.id(context)
            _ = try await consortiumReader(request)
            return try await member(hash)
        }
        router.get("/v1/pieces/:id") { request, context in
            let hash = try APIInput.id(context)
            return try await piece(hash, reader: try await reader(request))
        }
        router.get("/v1/evidence") { request, _ in
            let window = try APIInput.window(request)
            _ = try await consortiumReader(request)
            return try await evidenceList(window)
        }
        router.get("/v1/evidence/:id") { request, context in
            let hash = try APIInput.id(context)
            _ = try await consortiumReader(request)
            return try await evidence(hash)
        }
    }

    /// An active member, proven: who reads the consortium's records (the registry, evidence).
    func consortiumReader(_ request: Request) async throws(APIError) -> Member {
        let member = try await signedMember(request)
        guard member.status == .active else {
            throw APIError.forbidden("a suspended member reads only its own records")
        }
        return member
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
    /// commit order. (A refused transaction changed nothing, so it is indexed under its signer only.) A reader the
    /// policy does not show the full card gets its provenance card.
    private func piece(_ hash: Hash256, reader: Reader) async throws -> Response {
        let found = try await pieceHistory(hash)
        guard try await seesFullCard(found.piece, reader: reader) else {
            let card = try await provenanceCard(found.piece, steps: found.steps)
            return truncatable(APIJSON.response(card), found.truncated)
        }
        let suspended = await node.suspended(
            among: found.steps.map(\.signer) + APIJSON.PieceCardBody.attestors(found.piece))
        let history = found.steps.map { APIJSON.HistoryEntryBody($0.entry, signer: $0.signer, suspended: suspended) }
        let card = APIJSON.PieceCardBody(found.piece, history: history, suspended: suspended)
        return truncatable(APIJSON.response(card), found.truncated)
    }

    /// Whether `reader` sees `piece`'s full card, receipted when it is on a consent or as an auditor.
    package func seesFullCard(_ piece: Piece, reader: Reader) async throws(APIError) -> Bool {
        guard reader.member != nil else { return false }
        let decision = await node.access(piece, for: reader, now: clock.now())
        guard decision.view == .full, let basis = decision.basis else { return false }
        try await receipt([(basis, RecordScope.of(piece).parties)], reader: reader, what: "piece")
        return true
    }

    /// A piece's provenance card: its identity card and certificate, its inspection and custody, and the steps of
    /// its provenance with who attested each; the registration's signer (the owner) is not named.
    func provenanceCard(_ piece: Piece, steps: [(entry: HistoryEntry, signer: MemberID)]) async throws(APIError)
        -> APIJSON.ProvenanceCardBody
    {
        var shown = [APIJSON.ProvenanceStepBody]()
        for step in steps where step.entry.accepted {
            guard let kind = APIJSON.ProvenanceStepBody.kinds[step.entry.kind] else { continue }
            let attestor = step.entry.kind == RecordScope.registrationTag ? nil : step.signer
            var name: String? = nil
            if let attestor { name = await node.record(Member.self, attestor.hash)?.name }
            shown.append(
                APIJSON.ProvenanceStepBody(
                    kind: kind, time: step.entry.time.millis, height: step.entry.height, attestor: attestor?.hex,
                    attestorName: name))
        }
        var names = [String: String]()
        for id in [piece.certificate?.lab, piece.inspection?.inspector, piece.custody?.warehouse].compactMap({ $0 }) {
            names[id.hex] = await node.record(Member.self, id.hash)?.name
        }
        let suspended = await node.suspended(among: steps.map(\.signer) + APIJSON.PieceCardBody.attestors(piece))
        return APIJSON.ProvenanceCardBody(piece, steps: shown, names: names, suspended: suspended)
    }

    /// A piece and its steps with their signers: what the piece route and the dashboard's piece page show. 404 for
    /// an unknown piece.
    package func pieceHistory(_ hash: Hash256) async throws(APIError) -> (
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
    package func committed(_ id: TransactionID) async throws(APIError) -> Transaction {
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
