import CoreMetrics
import Metrics

/// The node's metrics, all made through one swift-metrics factory passed in rather than the process-wide
/// `MetricsSystem`: `MetricsSystem.bootstrap` may run once per process, and a test process opens many nodes, each
/// with its own Prometheus registry. Names are prefixed `facet_`; every label takes values from a bounded set
/// (transaction kinds, error codes, HTTP statuses), so the number of series stays bounded.
public final class NodeMetrics: Sendable {
    private let factory: any MetricsFactory
    private let blocks: Counter
    private let height: Gauge
    private let mempoolTransactions: Gauge
    private let mempoolBytes: Gauge
    private let commitSeconds: CoreMetrics.Timer
    private let signedBlocks: Counter
    private let missedSignatures: Counter

    public static let blocksTotal = "facet_blocks_total"
    public static let transactionsTotal = "facet_transactions_total"
    public static let submitRefusedTotal = "facet_submit_refused_total"
    public static let mempoolTransactionsName = "facet_mempool_transactions"
    public static let mempoolBytesName = "facet_mempool_bytes"
    public static let heightName = "facet_height"
    public static let storeCommitSeconds = "facet_store_commit_seconds"
    public static let httpResponsesTotal = "facet_http_responses_total"
    public static let peerMessagesTotal = "facet_peer_messages_total"
    public static let peerMessagesDroppedTotal = "facet_peer_messages_dropped_total"
    public static let consensusRoundName = "facet_consensus_round"
    public static let consensusRoundsTotal = "facet_consensus_rounds_total"
    public static let consensusEvidenceTotal = "facet_consensus_evidence_total"
    public static let syncBlocksTotal = "facet_sync_blocks_total"
    public static let syncTargetName = "facet_sync_target_height"
    public static let blockRejectedTotal = "facet_block_rejected_total"
    public static let consensusDegradedTotal = "facet_consensus_degraded_total"
    public static let storeRetriesTotal = "facet_consensus_store_retries_total"
    public static let mempoolMaxTransactionsName = "facet_mempool_max_transactions"
    public static let mempoolMaxBytesName = "facet_mempool_max_bytes"
    public static let signedBlocksTotal = "facet_validator_signed_blocks_total"
    public static let missedSignaturesTotal = "facet_validator_missed_signatures_total"
    public static let peersConfiguredName = "facet_peer_configured"
    public static let certificateExpiryName = "facet_tls_certificate_expiry_timestamp_seconds"

    /// `NOOPMetricsHandler` by default: a node built without metrics (a unit test) records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        blocks = Counter(label: Self.blocksTotal, factory: factory)
        height = Gauge(label: Self.heightName, factory: factory)
        mempoolTransactions = Gauge(label: Self.mempoolTransactionsName, factory: factory)
        mempoolBytes = Gauge(label: Self.mempoolBytesName, factory: factory)
        commitSeconds = CoreMetrics.Timer(label: Self.storeCommitSeconds, factory: factory)
        // Made now, so they are exported (at 0) from the start: an alert on their increase needs a first sample.
        signedBlocks = Counter(label: Self.signedBlocksTotal, factory: factory)
        missedSignatures = Counter(label: Self.missedSignaturesTotal, factory: factory)
    }

    /// The mempool's bounds, so an alert can compare what is queued with what fits.
    public func mempoolLimits(maxCount: Int, maxBytes: Int) {
        Gauge(label: Self.mempoolMaxTransactionsName, factory: factory).record(maxCount)
        Gauge(label: Self.mempoolMaxBytesName, factory: factory).record(maxBytes)
    }

    /// A committed block at a height where this node was a validator: whether the certificate holds its
    /// precommit. A validator missing from certificates is offline, slow or cut off, even while the chain advances.
    func signature(missed: Bool) {
        (missed ? missedSignatures : signedBlocks).increment()
    }

    /// How many other validators this node is configured to connect to (`facet_peer_connected` says how many it is).
    public func configuredPeers(_ count: Int) {
        Gauge(label: Self.peersConfiguredName, factory: factory).record(count)
    }

    /// When a certificate file the node uses expires (Unix seconds), by use: `api` (the HTTPS certificate chain),
    /// `peer` (the peer-link certificate chain), `peer_ca` (the consortium CA peers must chain to).
    public func certificateExpiry(_ use: String, unixSeconds: Int64) {
        Gauge(label: Self.certificateExpiryName, dimensions: [("certificate", use)], factory: factory)
            .record(unixSeconds)
    }

    /// A committed block: its height, how long the store took, and each transaction's kind and outcome.
    func committed(height newHeight: UInt64, commit duration: Duration, outcomes: [(kind: String, accepted: Bool)]) {
        blocks.increment()
        height.record(Int64(clamping: newHeight))
        commitSeconds.record(duration: duration)
        for outcome in outcomes {
            Counter(
                label: Self.transactionsTotal,
                dimensions: [("kind", outcome.kind), ("result", outcome.accepted ? "accepted" : "refused")],
                factory: factory
            ).increment()
        }
    }

    /// A transaction the node would not queue, by the refusal's code.
    func refusedAtSubmit(code: String) {
        Counter(label: Self.submitRefusedTotal, dimensions: [("code", code)], factory: factory).increment()
    }

    func mempool(count: Int, bytes: Int) {
        mempoolTransactions.record(count)
        mempoolBytes.record(bytes)
    }

    func chain(height newHeight: UInt64) {
        height.record(Int64(clamping: newHeight))
    }

    /// A peer message handed to consensus, by type.
    func peerMessage(_ type: String) {
        Counter(label: Self.peerMessagesTotal, dimensions: [("type", type)], factory: factory).increment()
    }

    /// A peer message dropped before consensus, by a reason from a fixed set (`malformed`, `bad_signature`,
    /// `not_validator`, `not_proposer`, `block_mismatch`, `unknown_block`, `stale_height`, `future_height`, …).
    public func droppedPeerMessage(reason: String) {
        Counter(label: Self.peerMessagesDroppedTotal, dimensions: [("reason", reason)], factory: factory)
            .increment()
    }

    /// The round consensus is in at the current height (0 in the normal case; higher means timeouts fired).
    func consensus(round: UInt32) {
        Gauge(label: Self.consensusRoundName, factory: factory).record(Int64(round))
        if round > 0 { Counter(label: Self.consensusRoundsTotal, factory: factory).increment() }
    }

    func evidence() { Counter(label: Self.consensusEvidenceTotal, factory: factory).increment() }

    /// A block committed by block sync rather than by this node's consensus.
    func synced(target: UInt64) {
        Counter(label: Self.syncBlocksTotal, factory: factory).increment()
        Gauge(label: Self.syncTargetName, factory: factory).record(Int64(clamping: target))
    }

    /// A proposed block this validator refused (it prevoted nil), by the `block.*` code.
    func rejectedBlock(code: String) {
        Counter(label: Self.blockRejectedTotal, dimensions: [("code", code)], factory: factory).increment()
    }

    /// Consensus entered an unhealthy mode (`store_unavailable`, `stalled`): what `/healthz` answers 503 for.
    func degraded(reason: String) {
        Counter(label: Self.consensusDegradedTotal, dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A store write consensus needs (the safety state, a decided block) failed and will be tried again.
    func storeRetry() { Counter(label: Self.storeRetriesTotal, factory: factory).increment() }

    /// An HTTP response by status code (the API's error middleware sees every response).
    package func httpResponse(status: Int) {
        Counter(label: Self.httpResponsesTotal, dimensions: [("status", String(status))], factory: factory)
            .increment()
    }
}
