import FacetClient

/// What `facet tx` prints: one line for people, or with `--json` one object for scripts.
struct TxReport: Encodable {
    /// committed, rejected (by the ledger, in a block), pending (--no-wait), refused (by the node, before queueing),
    /// unreachable (no answer, or the wait ran out).
    var outcome: String
    var id: String?
    var kind: String?
    var height: UInt64?
    var index: Int?
    var code: String?
    var message: String?
    var httpStatus: Int?

    init(status: NodeAPI.TransactionStatus, kind: String) {
        outcome = status.status.rawValue
        id = status.id
        self.kind = status.kind ?? kind
        height = status.height
        index = status.index
        code = status.code
        message = status.message
    }

    init(failure: ClientError, id: String?, kind: String) {
        outcome = failure.nodeUnavailable ? "unreachable" : "refused"
        self.id = id
        self.kind = kind
        code = failure.code.rawValue
        message = failure.message
        httpStatus = failure.httpStatus
    }

    var line: String {
        switch outcome {
        case "committed": "committed at height \(height.map(String.init) ?? "?"): \(kind ?? "?") \(id ?? "?")"
        case "rejected": "rejected: \(code ?? "?"): \(message ?? "")"
        case "pending": "submitted: \(kind ?? "?") \(id ?? "?") (pending; not waiting for its block)"
        case "refused":
            "refused by the node\(httpStatus.map { " (HTTP \($0))" } ?? ""): \(code ?? "?"): \(message ?? "")"
        default: "node unreachable: \(code ?? "?"): \(message ?? "")"
        }
    }

    /// 0 committed or queued, 1 rejected or refused, 2 unreachable or timed out.
    var exitCode: Int32 {
        switch outcome {
        case "committed", "pending": 0
        case "unreachable": 2
        default: 1
        }
    }
}
