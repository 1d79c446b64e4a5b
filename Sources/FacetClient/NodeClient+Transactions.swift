import FacetCore
import FacetLedger
import Foundation

/// Submitting transactions and following them to a block.
extension NodeClient {
    /// `POST /v1/transactions`: queues a signed transaction. The node answers 202 with its status (pending), or
    /// refuses it before queueing (a malformed or over-limit transaction, a bad envelope, a full mempool).
    public func submit(_ transaction: Transaction) async throws(ClientError) -> NodeAPI.TransactionStatus {
        let request = ["transaction": Hex.encode(transaction.canonicalBytes)]
        guard let body = try? JSONEncoder().encode(request) else { preconditionFailure("a string map encodes") }
        let (data, _) = try await send("POST", "/v1/transactions", body: body)
        return try NodeClient.decode(NodeAPI.TransactionStatus.self, data, request: "POST /v1/transactions")
    }

    /// `POST /v1/transactions/batch`: queues up to 1,000 signed transactions in one request, in order, each on its
    /// own (a refused one does not stop the rest). The node verifies their signatures on all its cores.
    public func submit(batch transactions: [Transaction]) async throws(ClientError) -> NodeAPI.BatchResult {
        let request = ["transactions": transactions.map { Hex.encode($0.canonicalBytes) }]
        guard let body = try? JSONEncoder().encode(request) else { preconditionFailure("a string list encodes") }
        let (data, _) = try await send("POST", "/v1/transactions/batch", body: body)
        return try NodeClient.decode(NodeAPI.BatchResult.self, data, request: "POST /v1/transactions/batch")
    }

    /// `GET /v1/transactions/{id}`, signed by `signer`: a transaction the node does not show the signer is a 404,
    /// like one that does not exist.
    public func transactionStatus(_ id: TransactionID, signer: MemberKey) async throws(ClientError)
        -> NodeAPI.TransactionStatus
    {
        try await signedGet(NodeAPI.TransactionStatus.self, "/v1/transactions/\(id.hex)", signer: signer)
    }

    /// Polls a transaction's status until it is committed or rejected, and returns that status.
    ///
    /// A poll that fails (the node restarting, a 404 while a load balancer's other node catches up) is reported
    /// to `progress` and retried, because the transaction may still be committed; only the deadline ends the
    /// wait, with `client.timeout` naming the last thing seen.
    public func waitForCommit(
        _ id: TransactionID, signer: MemberKey, timeout: Duration, pollInterval: Duration = .milliseconds(200),
        progress: (@Sendable (WaitProgress) -> Void)? = nil
    ) async throws(ClientError) -> NodeAPI.TransactionStatus {
        let clock = ContinuousClock()
        let start = clock.now
        var last = "no answer yet"
        while true {
            do {
                let status = try await transactionStatus(id, signer: signer)
                if status.isFinal { return status }
                last = status.status.rawValue
                progress?(WaitProgress(elapsed: clock.now - start, status: status, failure: nil))
            } catch {
                last = error.description
                progress?(WaitProgress(elapsed: clock.now - start, status: nil, failure: error))
            }
            guard clock.now - start + pollInterval <= timeout else {
                throw ClientError(
                    .timeout, "transaction \(id.hex) was not committed within \(timeout) (last: \(last))")
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw ClientError(.timeout, "waiting for transaction \(id.hex) was cancelled")
            }
        }
    }

    /// `GET /v1/transactions/{id}/proof`: the proof bundle (`contracts/proof-bundle.md`) exactly as the node sent
    /// it, so it can be saved and verified offline byte for byte. The body must at least be a JSON object.
    public func proof(_ id: TransactionID, signer: MemberKey) async throws(ClientError) -> Data {
        let (data, _) = try await signedSend("/v1/transactions/\(id.hex)/proof", signer: signer)
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw ClientError(.badResponse, "GET /v1/transactions/\(id.hex)/proof: the body is not a JSON object")
        }
        return data
    }
}
