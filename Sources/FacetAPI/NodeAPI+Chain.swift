import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetWire
import Hummingbird

/// Health, metrics, status, transactions and blocks.
extension NodeAPI {
    /// How long `/healthz` waits for the store before answering 503: as long as consensus waits for a store call
    /// before counting it failed (5 s), so a store that is only slow under load (a busy disk, a long commit) is not
    /// reported down, and one that hangs still is.
    static let healthStoreTimeout: Duration = .seconds(5)

    func addChainRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in metricsText() }
        router.get("/v1/status") { _, _ in
            APIJSON.response(APIJSON.StatusBody(await node.status(), node: node.validatorID))
        }
        router.post("/v1/transactions") { request, _ in try await submit(request) }
        router.post("/v1/transactions/batch") { request, _ in try await submitBatch(request) }
        router.get("/v1/transactions/:id") { request, context in
            try await transaction(APIInput.id(context), request)
        }
        router.get("/v1/transactions/:id/proof") { request, context in try await proof(APIInput.id(context), request) }
        router.get("/v1/blocks/latest") { request, _ in try await block(at: nil, request) }
        router.get("/v1/blocks/:height") { request, context in try await block(at: APIInput.height(context), request) }
    }

    /// Ready when the store answers and consensus is healthy: a node whose database is gone, or a validator that
    /// cannot commit or has fallen behind its peers, answers 503 with the reason rather than failing every read.
    /// Consensus's own verdict comes first (it is in memory); the store must then answer within
    /// `healthStoreTimeout`, so a database that hangs makes the check fail rather than hang.
    private func health() async throws -> Response {
        if let unhealthy = await node.status().consensus?.unhealthy {
            throw APIError(code: unhealthy.code, unhealthy.message, status: .serviceUnavailable)
        }
        let store = node.store
        let answered = try await read { () async throws(StoreError) in
            do {
                return try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        _ = try await store.head()
                        return true
                    }
                    group.addTask {
                        try await Task.sleep(for: NodeAPI.healthStoreTimeout)
                        return false
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? false
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.unavailable, "the store check was cancelled")
            }
        }
        guard answered else {
            throw APIError(NodeError(store: StoreError(.unavailable, "the store did not answer the health check")))
        }
        return APIJSON.text("ok\n", contentType: "text/plain; charset=utf-8")
    }

    private func metricsText() -> Response {
        APIJSON.text(registry.emitToString(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    private func submit(_ request: Request) async throws -> Response {
        let body = try await APIInput.body(request, limit: NodeAPI.maxBodyBytes)
        let bytes = try APIInput.submittedTransaction(body)
        guard let admitted = await node.submit(encoded: [bytes]).first else {
            preconditionFailure("one result per submitted transaction")
        }
        let id = try admitted.get()
        // Queued a moment ago, so pending, unless a block took it meanwhile.
        let kind = (try? Transaction(canonicalBytes: bytes))?.body.kind
        guard let status = try await node.transactionStatus(id) ?? kind.map({ TransactionStatus.pending(kind: $0) })
        else {
            throw APIError(
                .internalError, "transaction \(id.hex) was queued but cannot be found", status: .internalServerError)
        }
        return APIJSON.response(
            APIJSON.TransactionStatusBody(id: id, status: status, kind: kind?.description), status: .accepted)
    }

    /// `{"transactions": ["<hex>", …]}`: up to `maxBatchTransactions`, queued in order, each on its own. The answer
    /// (200) has one result per item, in order: `pending` with its id, or `refused` with the code and message a
    /// single submission would have had. Only a malformed or oversized body is refused as a whole.
    private func submitBatch(_ request: Request) async throws -> Response {
        let body = try await APIInput.body(request, limit: NodeAPI.maxBatchBodyBytes)
        let items = try APIInput.submittedBatch(body, limit: NodeAPI.maxBatchTransactions)
        let admitted = await node.submit(encoded: items)
        var results = [APIJSON.BatchItemBody]()
        results.reserveCapacity(items.count)
        for (item, outcome) in zip(items, admitted) {
            switch outcome {
            case .success(let id):
                let kind = (try? Transaction(canonicalBytes: item))?.body.kind.description
                results.append(APIJSON.BatchItemBody(id: id.hex, status: "pending", kind: kind))
            case .failure(let error):
                results.append(
                    APIJSON.BatchItemBody(
                        id: TransactionID(SHA256Hash.digest(item)).hex, status: "refused", code: error.code,
                        message: error.message))
            }
        }
        let accepted = results.count { $0.status == "pending" }
        return APIJSON.response(
            APIJSON.BatchBody(pending: accepted, refused: results.count - accepted, results: results))
    }

    /// A transaction's status, to a reader the access policy shows it in full; anyone else gets the same 404 as for
    /// a transaction that does not exist, so the route does not confirm it exists.
    private func transaction(_ hash: Hash256, _ request: Request) async throws -> Response {
        let id = TransactionID(hash)
        let reader = try await reader(request)
        guard let found = try await visibleTransaction(id, reader: reader, what: "transaction") else {
            throw APIError.notFound("no transaction \(id.hex) is pending or committed here")
        }
        var signerSuspended: Bool? = nil
        if case .committed = found.status {
            signerSuspended = !(await node.suspended(among: [found.transaction.signer]).isEmpty)
        }
        return APIJSON.response(
            APIJSON.TransactionStatusBody(
                id: id, status: found.status, kind: found.transaction.body.kind.description,
                signerSuspended: signerSuspended))
    }

    /// The transaction and its status when the policy shows it to `reader` in full (receipted when that is on a
    /// consent or as an auditor); nil when it does not exist or the reader may not see it.
    package func visibleTransaction(_ id: TransactionID, reader: Reader, what: String) async throws(APIError) -> (
        transaction: Transaction, status: TransactionStatus
    )? {
        guard reader.member != nil else { return nil }
        let found: (transaction: Transaction, status: TransactionStatus)?
        do {
            found = try await node.transactionWithStatus(id)
        } catch {
            throw APIError(error)
        }
        guard let found, try await fullViews([found.transaction], for: reader, what: what) == [true] else { return nil }
        return found
    }

    /// A proof bundle, to a reader the policy shows the transaction in full. Whoever holds the bundle verifies it
    /// offline; the route hands it only to those who may read the record.
    private func proof(_ hash: Hash256, _ request: Request) async throws -> Response {
        try await proofResponse(TransactionID(hash), reader: try await reader(request), what: "proof")
    }

    /// The proof bundle of `id` as JSON, exactly as the node builds it, when the policy shows `reader` the
    /// transaction in full (receipted as `what`); otherwise the same 404 as for a transaction with no proof. The
    /// API route and the dashboard's proof page both answer with it.
    package func proofResponse(_ id: TransactionID, reader: Reader, what: String) async throws -> Response {
        guard try await visibleTransaction(id, reader: reader, what: what) != nil,
            let bundle = try await node.proofBundle(id)
        else {
            throw APIError.notFound("transaction \(id.hex) is not an accepted, committed transaction of this chain")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bundle.jsonData())))
    }

    /// A block's header and certificate to anyone; its transactions only as far as the policy shows each to the
    /// reader in full (none to an anonymous reader; `header.transactionCount` says how many there are).
    private func block(at height: UInt64?, _ request: Request) async throws -> Response {
        let reader = try await reader(request)
        let block = try await read { () async throws(StoreError) in
            if let height { return try await node.store.block(at: height) }
            return try await node.store.latestBlock()
        }
        guard let block else {
            if let height, let base = try await read({ () async throws(StoreError) in try await node.store.syncBase() }),
                height <= base
            {
                throw APIError(
                    .beforeSyncBase, "this node state-synced at height \(base) and holds no block at or below it",
                    status: .gone)
            }
            throw APIError.notFound(height.map { "no block at height \($0) yet" } ?? "no block has been committed yet")
        }
        let visible = try await fullViews(block.transactions, for: reader, what: "block")
        return APIJSON.response(APIJSON.BlockBody(block, visible: visible))
    }
}
