import FacetCore
import FacetDemo
import FacetFiles
import FacetLedger
import FacetNode
import FacetScorecard
import FacetServer
import FacetStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// Commits the demo's generated history through the devnet's validators: each validator with its own store, its
/// peer transport on loopback TCP and its consensus driver, as `facet node start` wires them, all in this process
/// and reading one clock that the history drives. Each generated block's transactions go to every validator's
/// mempool (each verifies every signature once); the clock is set to the block's time first, so the next proposer
/// dates the block then, and the validators accept that time because their clock reads it too. The next block's
/// transactions go in once every validator has committed these. When the history ends, the validators stop and
/// `facet devnet` starts them as processes on the real clock.
package struct DevnetHistory {
    package let layout: DevnetLayout
    package let consortium: DemoConsortium
    package let logger: Logger

    /// What the history produced, and the generator (for its ground truth).
    package struct Outcome {
        package var record: DevnetRecord.History
        package var generator: HistoryGenerator
    }

    package func run() async throws -> Outcome {
        let genesis = try Genesis(json: try LocalFiles.read(layout.genesisPath.path))
        let clock = ManualNodeClock(genesis.time)
        var launchers = [NodeLauncher]()
        for index in 0..<layout.validators {
            let config = try NodeConfig.read(path: layout.configPath(index).path)
            let key = try KeyFile.read(config.validatorKeyFile)
            var validatorLogger = logger
            validatorLogger[metadataKey: "node.validator"] = "\(index)"
            launchers.append(
                NodeLauncher(config: config, genesis: genesis, validatorKey: key, clock: clock, logger: validatorLogger)
            )
        }
        let locations = try launchers.map { try StoreLocation(parsing: $0.config.store) }
        return try await Self.withStores(locations, logger: logger) { stores in
            try await run(launchers: launchers, stores: stores, clock: clock)
        }
    }

    /// Opens every store, runs `body` with them, and closes them all.
    private static func withStores<T>(
        _ locations: [StoreLocation], opened: [any LedgerStore] = [], logger: Logger,
        _ body: ([any LedgerStore]) async throws -> T
    ) async throws -> T {
        guard opened.count < locations.count else { return try await body(opened) }
        return try await locations[opened.count].withStore(logger: logger) { store in
            try await withStores(locations, opened: opened + [store], logger: logger, body)
        }
    }

    private func run(launchers: [NodeLauncher], stores: [any LedgerStore], clock: ManualNodeClock) async throws
        -> Outcome
    {
        var nodes = [LedgerNode]()
        var services = [any Service]()
        for (launcher, store) in zip(launchers, stores) {
            let registry = PrometheusCollectorRegistry()
            let factory = NodeLauncher.metricsFactory(registry: registry)
            let node = try await launcher.openNode(store: store, factory: factory)
            guard let consensus = launcher.config.consensus else {
                preconditionFailure("a devnet's validators are configured for consensus")
            }
            let service = try await launcher.consensusService(node: node, consensus: consensus, factory: factory) {
                settings in
                // The history's pace: the next height as soon as the last commits, only when there is something to
                // order, and blocks as large as the generator's.
                settings.commitInterval = .milliseconds(1)
                settings.emptyBlockInterval = .seconds(24 * 3_600)
                settings.maxTransactions = Limits.maxBlockTransactions
                settings.maxBytes = Limits.maxBlockBytes
            }
            nodes.append(node)
            services.append(service)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await Self.waitUntilConnected(nodes)
                let outcome = try await feed(nodes: nodes, clock: clock)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return outcome
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Until every validator reports a connection to every other (30 s at most).
    private static func waitUntilConnected(_ nodes: [LedgerNode]) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            var connected = true
            for node in nodes where (await node.status().consensus?.peers.count ?? 0) < nodes.count - 1 {
                connected = false
            }
            if connected { return }
            guard ContinuousClock.now < deadline else {
                throw DevnetFailure(.notConnected, "the validators did not connect to one another in 30 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Generates the history month by month and commits it block by block, with the progress bar.
    private func feed(nodes: [LedgerNode], clock: ManualNodeClock) async throws -> Outcome {
        var generator = HistoryGenerator(consortium: consortium)
        var progress = DevnetProgress(months: consortium.settings.months)
        var records = 0
        var first: Timestamp?
        var last = consortium.genesis.time
        while let month = generator.nextMonth() {
            for block in month.blocks {
                if block.time > clock.now() { clock.set(block.time) }
                first = first ?? block.time
                last = block.time
                try await commit(
                    block.transactions, nodes: nodes, what: "month \(month.index + 1)'s block at \(block.time.rfc3339)")
                records += block.transactions.count
                progress.update(month: month.index + 1, records: records, height: await nodes[0].head.height)
            }
        }
        // The scoring models in use (`contracts/models/`, copied into the devnet) are registered by the first
        // lender, an hour after the history's last block, so offers can name them.
        let registrations = try modelRegistrations(generator: generator)
        var models = [String: String]()
        for transaction in registrations {
            if case .registerModel(let body) = transaction.body { models[body.name.value] = body.modelHash.hex }
        }
        if !registrations.isEmpty {
            last = Timestamp(uncheckedMillis: last.millis + 3_600_000)
            clock.set(last)
            try await commit(registrations, nodes: nodes, what: "the models' registrations")
            records += registrations.count
        }
        let statuses = await nodes.asyncMap { await $0.status() }
        progress.update(
            month: consortium.settings.months, records: records, height: statuses[0].height, final: true)
        guard Set(statuses.map(\.stateRoot)).count == 1, Set(statuses.map(\.height)).count == 1 else {
            throw DevnetFailure(
                .historyDiverged,
                "heights \(statuses.map(\.height)), state roots \(statuses.map { $0.stateRoot.hex.prefix(12) })")
        }
        var refusal: DevnetRecord.Refusal?
        if let expected = generator.doublePledge,
            case .committed(let height, _, let result)? = try await nodes[0].transactionStatus(expected.transaction)
        {
            refusal = DevnetRecord.Refusal(
                transaction: expected.transaction.hex, code: result.error?.code.rawValue ?? "accepted", height: height,
                month: expected.month)
        }
        var loans = [String: Int]()
        for loan in generator.groundTruth.loans { loans[loan.outcome.rawValue, default: 0] += 1 }
        let record = DevnetRecord.History(
            height: statuses[0].height, stateRoot: statuses[0].stateRoot.hex, transactions: records,
            members: await nodes[0].members().count, months: consortium.settings.months,
            firstBlockTime: (first ?? last).rfc3339, lastBlockTime: last.rfc3339, loans: loans,
            doublePledge: refusal, prices: generator.prices, models: models,
            seconds: DevnetProgress.seconds(ContinuousClock.now - progress.start))
        return Outcome(record: record, generator: generator)
    }

    /// Has every validator admit the transactions it has not committed yet, then waits until all committed them.
    private func commit(_ transactions: [Transaction], nodes: [LedgerNode], what: String) async throws {
        let pending = try await uncommitted(transactions, on: nodes[0])
        guard !pending.isEmpty else { return }
        for (index, node) in nodes.enumerated() {
            // A validator may commit the block before it is handed the transactions (the others proposed and
            // voted meanwhile): those it refuses as committed are not refusals.
            var refused = [(position: Int, error: NodeError)]()
            for entry in await node.submit(pending, forward: false)
            where try await node.transactionStatus(pending[entry.position].id) == nil {
                refused.append(entry)
            }
            if let (position, error) = refused.first {
                throw DevnetFailure(
                    .historyRefused,
                    "validator \(index) refused \(refused.count) of \(pending.count) transactions of \(what), the "
                        + "first (\(pending[position].body.kind)) with \(error)")
            }
        }
        try await waitUntilCommitted(nodes)
    }

    /// `register_model` for each model file in the devnet's `models/` folder, signed by the seed's first lender
    /// with nonces above the history's (which count from 1) and below the live activity's (wall-clock millis).
    private func modelRegistrations(generator: HistoryGenerator) throws -> [Transaction] {
        let folder = layout.folder.appendingPathComponent("models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty, let lender = consortium.seed.lenders.first else { return [] }
        let signer = consortium.founder(lender.member)
        var transactions = [Transaction]()
        for (position, file) in files.enumerated() {
            let model = try ScorecardModel.load(
                json: Array(try LocalFiles.read(folder.appendingPathComponent(file).path)))
            guard let hex = model.hash, let hash = Hash256(hex: hex), let name = try? Label(String(file.dropLast(5)))
            else { throw DevnetFailure(.historyRefused, "models/\(file) has no content hash or no label name") }
            transactions.append(
                Transaction.signed(
                    chainID: consortium.chainID, signer: signer.id, nonce: 1_000_000_000 + UInt64(position),
                    body: .registerModel(RegisterModel(modelHash: hash, name: name)), key: signer.signingKey))
        }
        return transactions
    }

    /// The block's transactions this chain has not committed yet: all of them on a first run; after an
    /// interrupted run, none of the blocks it finished and only the rest of the one it was in.
    private func uncommitted(_ transactions: [Transaction], on node: LedgerNode) async throws -> [Transaction] {
        guard let lastOne = transactions.last else { return [] }
        if try await node.transactionStatus(lastOne.id) != nil { return [] }
        guard let firstOne = transactions.first, try await node.transactionStatus(firstOne.id) != nil else {
            return transactions
        }
        var pending = [Transaction]()
        for transaction in transactions where try await node.transactionStatus(transaction.id) == nil {
            pending.append(transaction)
        }
        return pending
    }

    /// Until every validator's mempool is empty (all it held is committed) and they stand at one height; fails
    /// when no validator moves for a minute.
    private func waitUntilCommitted(_ nodes: [LedgerNode]) async throws {
        var lastHeights = [UInt64]()
        var lastMove = ContinuousClock.now
        while true {
            var heights = [UInt64]()
            var pending = 0
            for node in nodes {
                heights.append(await node.head.height)
                pending += await node.mempoolCount
            }
            if pending == 0 && Set(heights).count == 1 { return }
            if heights != lastHeights {
                lastHeights = heights
                lastMove = .now
            } else if ContinuousClock.now - lastMove > .seconds(60) {
                let states = await nodes.asyncMap { node in
                    let consensus = await node.status().consensus
                    return consensus.map { "\($0.mode) h\($0.height) r\($0.round) \($0.step)" } ?? "no consensus"
                }
                throw DevnetFailure(
                    .historyStalled,
                    "no block for 60 s at heights \(heights), \(pending) transactions pending; consensus: "
                        + states.joined(separator: ", "))
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

extension Array {
    package func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results = [T]()
        results.reserveCapacity(count)
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
