import FacetAPI
import FacetCore
import FacetCredit
import FacetHTML
import FacetLedger
import FacetNode
import FacetScorecard
import FacetStore
import Hummingbird

/// The piece, network and model pages. Each reads what the JSON API reads for the same subject: the piece card and
/// its history as `GET /v1/pieces/{id}` builds them, the node's status and its recent blocks from the store, the
/// evidence from the history index as `GET /v1/evidence` does, and the model the credit routes decide with.
extension NodeAPI {
    /// Registers `/dash/pieces/:id`, `/dash/network` and `/dash/model`, each behind the session cookie.
    func addDashboardOperatorRoutes(_ router: Router<BasicRequestContext>, _ sessions: DashboardSessions) {
        let reports = ModelPage.Cache()
        let summaries = NetworkPage.SummaryCache()
        router.get("/dash/pieces/:id") { request, context in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await operatorPage("Piece", viewer) { () async throws(APIError) in
                let data = try await pieceData(context, viewer: viewer)
                return ("Piece \(String(data.piece.id.hex.prefix(10)))…", PiecePage.render(data))
            }
        }
        router.get("/dash/network") { request, _ in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await operatorPage("Network", viewer) { () async throws(APIError) in
                guard viewer.roles.contains(.validator) || viewer.roles.contains(.auditor) else {
                    throw APIError.forbidden("the network page is for validators' operators and auditors")
                }
                return ("Network", NetworkPage.render(try await networkData(summaries)))
            }
        }
        router.get("/dash/model") { request, _ in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await operatorPage("Model", viewer) { () async throws(APIError) in
                ("Model", ModelPage.render(try await modelData(viewer, cache: reports)))
            }
        }
    }

    /// A page, or the refusal with its stable code.
    private func operatorPage(
        _ fallbackTitle: String, _ viewer: Member, _ build: () async throws(APIError) -> (String, HTML)
    ) async -> Response {
        let layoutViewer = Self.layoutViewer(viewer)
        do {
            let (title, body) = try await build()
            return DashboardLayout.response(DashboardLayout.page(title: title, viewer: layoutViewer, body: body))
        } catch {
            return DashboardLayout.refusal(
                title: fallbackTitle, code: error.code, message: error.message, viewer: layoutViewer,
                status: error.status)
        }
    }

    // MARK: Piece

    /// The piece from the state and every transaction the history index holds for it, in commit order, with its
    /// signer: what `GET /v1/pieces/{id}` answers, the full card or the provenance card as the policy decides.
    private func pieceData(_ context: BasicRequestContext, viewer: Member) async throws(APIError) -> PiecePage.Data {
        let (piece, found, truncated) = try await pieceHistory(try APIInput.id(context))
        let full = try await seesFullCard(piece, reader: Reader(viewer))
        let signers = found.map(\.signer)
        var ids = Set(signers)
        if full { ids.insert(piece.owner) }
        if let custody = piece.custody { ids.insert(custody.warehouse) }
        let members = await node.records(Member.self, ids.map(\.hash).sorted { $0.hex < $1.hex })
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let suspended = Set(members.filter { $0.status == .suspended }.map(\.id))
        let steps = found.map {
            PiecePage.Step(
                entry: $0.entry, signer: $0.signer, signerName: names[$0.signer],
                signerSuspended: suspended.contains($0.signer))
        }
        return PiecePage.Data(piece: piece, steps: steps, names: names, truncated: truncated, full: full)
    }

    // MARK: Network

    /// The status now, and the window's summary of the head it was made at: the window is read from the store
    /// (its blocks decoded) once per height, however often the page is loaded.
    private func networkData(_ cache: NetworkPage.SummaryCache) async throws(APIError) -> NetworkPage.Data {
        let status = await node.status()
        let summary: NetworkPage.Summary
        if let cached = cache.summary(at: status.height) {
            summary = cached
        } else {
            summary = try await windowSummary(head: status.height)
            cache.keep(summary, at: status.height)
        }
        let (evidence, truncated) = try await recentEvidence()
        var ids = Set(summary.validators.map(\.id))
        for record in evidence { ids.formUnion([record.offender, record.reporter]) }
        let members = await node.records(Member.self, ids.map(\.hash).sorted { $0.hex < $1.hex })
        return NetworkPage.Data(
            status: status, summary: summary, evidence: evidence, evidenceTruncated: truncated,
            names: Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }

    private func windowSummary(head: UInt64) async throws(APIError) -> NetworkPage.Summary {
        let blocks = try await recentBlocks(head: head)
        var sets = [Hash256: ValidatorSet]()
        sets[node.genesis.validatorSet.hash] = node.genesis.validatorSet
        let current = await node.validators(at: head + 1)
        for set in [await node.validators(at: head), current] { sets[set.hash] = set }
        for block in blocks {
            for (transaction, result) in zip(block.transactions, block.results) where result.accepted {
                if case .changeValidators(let change) = transaction.body {
                    sets[change.validators.hash] = change.validators
                }
            }
        }
        return NetworkPage.summarize(blocks, sets: sets, current: current)
    }

    /// The last `NetworkPage.window` committed blocks, ascending, read in the store's largest ranges.
    private func recentBlocks(head: UInt64) async throws(APIError) -> [StoredBlock] {
        guard head > 0 else { return [] }
        var next = head > UInt64(NetworkPage.window) ? head - UInt64(NetworkPage.window) + 1 : 1
        var blocks = [StoredBlock]()
        while next <= head {
            let limit = Int(min(UInt64(StoreLimits.maxBlockRange), head - next + 1))
            let from = next
            let batch = try await read { () async throws(StoreError) in
                try await node.store.blocks(from: from, limit: limit)
            }
            guard let last = batch.last else { break }
            blocks += batch
            next = last.header.height + 1
        }
        return blocks
    }

    /// The newest `NetworkPage.maxEvidence` evidence records, newest first, found as `GET /v1/evidence` finds them.
    private func recentEvidence() async throws(APIError) -> ([EvidenceRecord], Bool) {
        let page = try await read { () async throws(StoreError) in
            try await HistoryPager(store: node.store).entries(
                subject: BlockIndexer.evidenceSubject, from: nil, to: nil)
        }
        var ids = [Hash256]()
        let accepted = page.entries.reversed().filter(\.accepted)
        for entry in accepted.prefix(NetworkPage.maxEvidence) {
            guard case .reportEvidence(let report) = try await committed(entry.transactionID).body else { continue }
            ids.append(EvidenceRecord.id(offender: report.misbehavior.offender, slot: report.misbehavior.slot))
        }
        let truncated = page.truncated || accepted.count > NetworkPage.maxEvidence
        return (await node.records(EvidenceRecord.self, ids), truncated)
    }

    // MARK: Model

    /// The report of the model in use on the ledger's closed loans, from the cache when the model and the index's
    /// height are those of a report already made.
    private func modelData(_ viewer: Member, cache: ModelPage.Cache) async throws(APIError) -> ModelPage.Data {
        guard viewer.roles.contains(.lender) || viewer.roles.contains(.auditor) else {
            throw APIError(.forbidden, "the model's validation is shown to lenders and auditors", status: .forbidden)
        }
        let serving = try creditServing()
        // The model, the height and the closed loans of one view; the rows only when no report of that model and
        // height is cached.
        let (model, registration, height, cached, rows): (
            ScorecardModel, RegisteredModel, UInt64, ModelPage.Data?, [TrainingRow]
        )
        do throws(CreditRefusal) {
            (model, registration, height, cached, rows) = try serving.read { view throws(CreditRefusal) in
                let (model, registration) = try serving.model(asked: nil, in: view)
                let cached = cache.data(ModelPage.Cache.Key(model: registration.hash, height: view.height))
                return (model, registration, view.height, cached, cached == nil ? view.trainingRows() : [])
            }
        } catch {
            throw APIError(error)
        }
        if let cached { return cached }
        let report: ValidationReport
        do {
            report = try model.validate(ModelPage.dataset(rows))
        } catch {
            let message =
                error.code == .insufficientData
                ? "no loan has closed on the ledger yet, so there is nothing to measure" : error.reason
            throw APIError(code: error.code.rawValue, message, status: .serviceUnavailable)
        }
        let data = ModelPage.Data(
            registration: registration, report: report, height: height, repaidLate: rows.filter(\.repaidLate).count)
        cache.store(data, for: ModelPage.Cache.Key(model: registration.hash, height: height))
        return data
    }
}
