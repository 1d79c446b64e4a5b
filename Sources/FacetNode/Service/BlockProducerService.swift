import FacetCore
import Logging
import ServiceLifecycle

/// Produces a block every `interval`, from what the mempool holds, at the time of the node's clock. On graceful
/// shutdown the block in flight is finished (a commit is never abandoned half-way by this service), then what is
/// still queued is committed in as many blocks as it takes, so a transaction answered 202 is not lost by a clean
/// stop. Task cancellation (a hard stop) ends it without that final flush.
///
/// Generic over the clock it sleeps on so tests can substitute one; block times come from the `NodeClock`.
public struct BlockProducerService<Sleeper: Clock>: Service where Sleeper.Duration == Duration {
    public struct Limits: Hashable, Sendable {
        public var maxTransactions: Int
        public var maxBytes: Int
        public var interval: Duration

        public init(maxTransactions: Int, maxBytes: Int, interval: Duration) {
            precondition(maxTransactions > 0 && maxBytes > 0 && interval > .zero, "block limits must be positive")
            self.maxTransactions = maxTransactions
            self.maxBytes = maxBytes
            self.interval = interval
        }
    }

    let node: LedgerNode
    let limits: Limits
    let clock: any NodeClock
    let sleeper: Sleeper
    let logger: Logger

    public init(node: LedgerNode, limits: Limits, clock: any NodeClock, sleeper: Sleeper, logger: Logger) {
        self.node = node
        self.limits = limits
        self.clock = clock
        self.sleeper = sleeper
        self.logger = logger
    }

    public func run() async throws {
        logger.info(
            "block producer started",
            metadata: [
                "block.interval_ms": "\(Int64(limits.interval / .milliseconds(1)))",
                "block.max_transactions": "\(limits.maxTransactions)",
            ])
        while !Task.isShuttingDownGracefully {
            let (sleeper, interval) = (self.sleeper, limits.interval)
            do {
                try await cancelWhenGracefulShutdown { try await sleeper.sleep(for: interval) }
            } catch {
                if Task.isCancelled && !Task.isShuttingDownGracefully { return }
                break
            }
            if Task.isCancelled { return }
            _ = await produce()
        }
        await flush()
        let height = await node.status().height
        logger.info("block producer stopped", metadata: ["ledger.height": "\(height)"])
    }

    /// Commits what is still queued, one block at a time, until the mempool is empty or a block fails.
    private func flush() async {
        let queued = await node.mempoolCount
        guard queued > 0 else { return }
        logger.info("committing queued transactions before stopping", metadata: ["mempool.count": "\(queued)"])
        for _ in 0...(queued / limits.maxTransactions) {
            guard await produce() else { return }
        }
    }

    /// One block; false when there was nothing to commit or the commit failed (logged, and retried next time).
    private func produce() async -> Bool {
        do {
            guard
                let header = try await node.produceBlock(
                    time: clock.now(), maxTransactions: limits.maxTransactions, maxBytes: limits.maxBytes)
            else { return false }
            logger.info(
                "block committed",
                metadata: ["ledger.height": "\(header.height)", "block.transactions": "\(header.transactionCount)"])
            return true
        } catch {
            logger.error("block production failed", metadata: ["node.error": "\(error)"])
            return false
        }
    }
}
