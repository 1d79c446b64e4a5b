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

    public static let blocksTotal = "facet_blocks_total"
    public static let transactionsTotal = "facet_transactions_total"
    public static let submitRefusedTotal = "facet_submit_refused_total"
    public static let mempoolTransactionsName = "facet_mempool_transactions"
    public static let mempoolBytesName = "facet_mempool_bytes"
    public static let heightName = "facet_height"
    public static let storeCommitSeconds = "facet_store_commit_seconds"
    public static let httpResponsesTotal = "facet_http_responses_total"

    /// `NOOPMetricsHandler` by default: a node built without metrics (a unit test) records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        blocks = Counter(label: Self.blocksTotal, factory: factory)
        height = Gauge(label: Self.heightName, factory: factory)
        mempoolTransactions = Gauge(label: Self.mempoolTransactionsName, factory: factory)
        mempoolBytes = Gauge(label: Self.mempoolBytesName, factory: factory)
        commitSeconds = CoreMetrics.Timer(label: Self.storeCommitSeconds, factory: factory)
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

    /// An HTTP response by status code (the API's error middleware sees every response).
    func httpResponse(status: Int) {
        Counter(label: Self.httpResponsesTotal, dimensions: [("status", String(status))], factory: factory)
            .increment()
    }
}
