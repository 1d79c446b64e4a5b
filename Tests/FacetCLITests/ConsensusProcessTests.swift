import FacetClient
import FacetCore
import FacetDevnet
import FacetFiles
import FacetLedger
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#endif

/// Four validators as four `facet node start` processes with real TCP between them. One is killed with SIGKILL
/// while transactions keep coming; the other three keep committing; the killed one restarts, syncs, and ends at the
/// same height and state root as the others, with every committed transaction present.
@Suite(.serialized) struct ConsensusProcessTests {
    @Test(.timeLimit(.minutes(6)))
    func aKilledValidatorRestartsSyncsAndAgrees() async throws {
        let folder = try TemporaryFolder()
        let layout = try Self.layout(in: folder, validators: 4)
        var nodes = try (0..<4).map { try FacetProcess(["node", "start", "--config", layout.configPath($0).path]) }
        let clients = try (0..<4).map { try NodeClient(address: "http://\(layout.apiAddress($0))") }
        defer { for node in nodes { node.signal(SIGKILL) } }

        try await Self.waitUntil("all four validators commit block 2", timeout: .seconds(60), nodes: nodes) {
            for client in clients {
                guard let status = try? await client.status(), status.height >= 2 else { return false }
            }
            return true
        }

        let exchange = try KeyFile.read(layout.memberKeyPath("exchange").path)
        let exchangeID = MemberID(initialKey: exchange.publicKey)
        // The exchange signs its reads too: it is a party to its own prices (`contracts/privacy.md`).
        let reader = MemberKey(member: exchangeID, key: exchange)
        let chainID = try Label(DevnetLayout.chainID)
        var nonce: UInt64 = 0
        var submitted = [(id: TransactionID, node: Int)]()
        func submit(to live: [Int], count: Int) async throws {
            for index in 0..<count {
                nonce += 1
                let body = TransactionBody.publishPrice(
                    PublishPrice(
                        category: .gold, band: try Label("AU\(9990 + nonce % 7)-PER-G"),
                        pricePerUnit: try Money(minorUnits: 55_000 + Int64(nonce), currency: try Currency("CNY"))))
                let transaction = Transaction.signed(
                    chainID: chainID, signer: exchangeID, nonce: nonce, body: body, key: exchange)
                let node = live[index % live.count]
                let status = try await clients[node].submit(transaction)
                submitted.append((TransactionID(try #require(Hash256(hex: status.id))), node))
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        try await submit(to: [0, 1, 2, 3], count: 20)
        let beforeKill = submitted.count
        nodes[3].signal(SIGKILL)
        _ = try await nodes[3].wait(timeout: .seconds(10))
        let heightAtKill = try await clients[0].status().height
        try await submit(to: [0, 1, 2], count: 30)
        try await Self.waitUntil("the three survivors commit 5 more blocks", timeout: .seconds(60), nodes: nodes[0..<3])
        {
            for client in clients[0..<3] {
                guard let status = try? await client.status(), status.height >= heightAtKill + 5 else { return false }
            }
            return true
        }
        // Every transaction is committed, except one the killed validator accepted but had not yet forwarded: its
        // mempool is in memory, so such a transaction dies with it (its client sees it never commit, and resubmits).
        var committed = [TransactionID]()
        for (index, entry) in submitted.enumerated() {
            let mayBeLost = index < beforeKill && entry.node == 3
            let status = try? await clients[0].waitForCommit(
                entry.id, signer: reader, timeout: .seconds(mayBeLost ? 5 : 60))
            if let status {
                #expect(status.status == .committed, "transaction \(entry.id.hex) on a survivor")
                committed.append(entry.id)
            } else if !mayBeLost {
                Issue.record("transaction \(entry.id.hex), submitted to validator \(entry.node), was never committed")
            }
        }
        #expect(committed.count >= submitted.count - 5, "at most the killed validator's 5 may be lost")

        nodes[3] = try FacetProcess(["node", "start", "--config", layout.configPath(3).path])
        let target = try await clients[0].status().height
        try await Self.waitUntil("the restarted validator syncs to \(target)", timeout: .seconds(90), nodes: nodes) {
            guard let status = try? await clients[3].status() else { return false }
            return status.height >= target + 2
        }
        // Same blocks at the same heights, with the same state roots, on all four: up to the lowest head, since a
        // validator may commit a height a moment after another.
        var common = try await clients[3].status().height
        for client in clients { common = min(common, try await client.status().height) }
        for height in [1, heightAtKill, target, common] {
            var roots = Set<String>()
            var ids = Set<String>()
            for client in clients {
                let block = try await client.block(height: height)
                ids.insert(block.id)
                roots.insert(block.header["stateRoot"]?.description ?? "none")
            }
            #expect(ids.count == 1, "block \(height) differs between validators")
            #expect(roots.count == 1 && !roots.contains("none"), "state root at \(height) differs")
        }
        for id in committed {
            let status = try await clients[3].transactionStatus(id, signer: reader)
            #expect(status.status == .committed, "transaction \(id.hex) on the restarted validator")
        }
        print(
            "consensus process test: \(committed.count) of \(submitted.count) transactions committed; validator 3 killed at height \(heightAtKill), "
                + "restarted when the others were at \(target), caught up to \(common)")
        // A proof from the restarted validator verifies offline: its certificate carries a quorum of the four.
        let genesis = try Genesis(json: try Data(contentsOf: layout.genesisPath))
        let bundle = try ProofBundle(json: try await clients[3].proof(try #require(committed.last), signer: reader))
        #expect(bundle.certificate.signatures.count >= 3)
        if case .failure(let failure) = bundle.verify(genesis: genesis) {
            Issue.record("the proof bundle from the restarted validator does not verify: \(failure)")
        }
        for node in nodes { node.signal(SIGTERM) }
        for (index, node) in nodes.enumerated() {
            let result = try await node.wait(timeout: .seconds(30))
            #expect(result.status == 0, "validator \(index): \(result.stderr.suffix(2_000))")
            if index == 3 { #expect(result.stderr.contains("synced blocks"), "the restarted validator synced") }
        }
    }

    /// A plain layout of `validators` on free ports, paced for tests: a block every 150 ms, short round timeouts,
    /// info logs (which the tests read).
    static func layout(in folder: TemporaryFolder, validators: Int) throws -> DevnetLayout {
        let ports = try freePortRuns(count: validators, runs: 2)
        let layout = DevnetLayout(folder: folder.url, validators: validators, apiPort: ports[0], peerPort: ports[1])
        try layout.create(
            genesisTime: Timestamp(uncheckedMillis: Int64(Date().timeIntervalSince1970 * 1000) - 60_000),
            configure: { config in
                config.block.intervalMillis = 150
                config.logLevel = "info"
                config.consensus?.timeouts = .init(
                    proposeMillis: 1_000, prevoteMillis: 400, precommitMillis: 400, incrementMillis: 200)
            })
        return layout
    }

    /// Polls `condition` every 200 ms; fails with the nodes' recent logs after `timeout`.
    static func waitUntil(
        _ what: String, timeout: Duration, nodes: some Collection<FacetProcess>,
        _ condition: () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        // A loaded machine can keep this task asleep past the deadline: look once more before failing.
        if await condition() { return }
        let logs = nodes.enumerated().map { "validator \($0.offset):\n\($0.element.stderr.suffix(3_000))" }
        Issue.record("timed out waiting until \(what)\n\(logs.joined(separator: "\n"))")
        throw CancellationError()
    }

    /// `runs` starting ports, each followed by `count - 1` more, all free on 127.0.0.1 now. Below Linux's ephemeral
    /// range (32768 and up by default), so the outgoing connections of tests running meanwhile, which take their
    /// local ports from that range, cannot take one before the processes under test bind it.
    static func freePortRuns(count: Int, runs: Int) throws -> [Int] {
        var starts = [Int]()
        var candidate = 20_000 + Int.random(in: 0..<12_000)
        while starts.count < runs {
            if (candidate..<candidate + count).allSatisfy(portIsFree) { starts.append(candidate) }
            candidate += count + 7
            if candidate + count > 32_000 { candidate = 20_000 }
        }
        return starts
    }

    static func portIsFree(_ port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
