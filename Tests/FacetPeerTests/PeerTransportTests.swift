import FacetCore
import FacetLedger
import FacetPeer
import NIOCore
import NIOPosix
import Testing

/// Real TCP on 127.0.0.1 with ephemeral ports and real Ed25519 keys. Every wait has a deadline.
@Suite(.timeLimit(.minutes(5)))
struct PeerTransportTests {
    @Test func threeValidatorsExchangeAndBroadcastExactlyOnce() async throws {
        let nodes = try await startCluster(TestValidator.make(3))
        do {
            try await eventually("all three connected") { nodes.allSatisfy { $0.transport.connectedPeers.count == 2 } }
            let (a, b, c) = (nodes[0], nodes[1], nodes[2])
            #expect(a.transport.send([1, 1], to: b.member) == .queued)
            #expect(b.transport.send([2, 2], to: a.member) == .queued)
            #expect(c.transport.send([3, 3], to: a.member) == .queued)
            for (index, node) in nodes.enumerated() {
                #expect(node.transport.broadcast([0xB0, UInt8(index)]) == 2)
            }
            try await eventually("a got 1 direct + 2 broadcasts") { a.inbox.messages.count == 4 }
            try await eventually("b got 1 direct + 2 broadcasts") { b.inbox.messages.count == 3 }
            try await eventually("c got 2 broadcasts") { c.inbox.messages.count == 2 }
            try await Task.sleep(for: .milliseconds(200))
            #expect(a.inbox.payloads(from: b.member) == [[2, 2], [0xB0, 1]])
            #expect(a.inbox.payloads(from: c.member) == [[3, 3], [0xB0, 2]])
            #expect(b.inbox.payloads(from: a.member) == [[1, 1], [0xB0, 0]])
            #expect(b.inbox.payloads(from: c.member) == [[0xB0, 2]])
            #expect(c.inbox.payloads(from: a.member) == [[0xB0, 0]])
            #expect(c.inbox.payloads(from: b.member) == [[0xB0, 1]])
            for node in nodes {
                #expect(!node.inbox.messages.contains { $0.from == node.member }, "no node hears itself")
                #expect(node.metrics.value("facet_peer_connected") == 2)
                #expect(node.metrics.value("facet_peer_handshakes_total") == 2, "one connection per pair")
            }
            let status = a.transport.status()
            #expect(status.map(\.member) == [b.member, c.member])
            #expect(status.allSatisfy { $0.connected && $0.since != nil && $0.framesIn == 2 })
            #expect(status.map(\.framesOut) == [2, 1], "to b: direct + broadcast; to c: broadcast")
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }

    @Test func aNonValidatorIsRefusedAtTheHandshake() async throws {
        let validators = TestValidator.make(1)
        // The stranger must sort below the validator, so that it is the one that dials.
        var stranger = TestValidator(key: .generate())
        while !(stranger.member < validators[0].member) { stranger = TestValidator(key: .generate()) }
        let node = TestNode.make(validators[0], allowed: validators)
        try await node.transport.start()
        let intruder = TestNode.make(stranger, allowed: validators + [stranger], peers: [node.member: node.address])
        try await intruder.transport.start()
        do {
            #expect(intruder.transport.send([6, 6, 6], to: node.member) == .queued)
            try await eventually("refused as not a validator") { node.metrics.dropped("not_validator") >= 1 }
            #expect(node.transport.connectedPeers.isEmpty)
            #expect(intruder.transport.connectedPeers.isEmpty)
            try await Task.sleep(for: .milliseconds(200))
            #expect(node.inbox.messages.isEmpty)
            #expect(node.transport.send([1], to: stranger.member) == .dropped(.unsendable))
        } catch { reportUnexpected(error) }
        await intruder.transport.stop()
        await node.transport.stop()
    }

    @Test func aValidatorOfAnotherChainIsRefused() async throws {
        let validators = TestValidator.make(2)
        let node = TestNode.make(validators[1], allowed: validators)
        try await node.transport.start()
        let other = TestNode.make(
            validators[0],
            allowed: validators,
            chain: try Label("another-chain"),
            peers: [node.member: node.address]
        )
        try await other.transport.start()
        do {
            other.transport.send([9], to: node.member)
            try await eventually("refused for the chain") { node.metrics.dropped("bad_handshake") >= 1 }
            try await eventually("the dialer refuses the other chain too") {
                other.metrics.dropped("bad_handshake") >= 1
            }
            #expect(node.transport.connectedPeers.isEmpty && other.transport.connectedPeers.isEmpty)
            #expect(node.inbox.messages.isEmpty)
        } catch { reportUnexpected(error) }
        await other.transport.stop()
        await node.transport.stop()
    }

    @Test func aGiantLengthHeaderClosesOnlyThatConnection() async throws {
        let nodes = try await startCluster(TestValidator.make(2))
        do {
            try await eventually("connected") { nodes[0].transport.connectedPeers.count == 1 }
            let raw = try await RawClient.connect(to: nodes[1].address)
            try await raw.write([0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0x41, count: 64))
            try await raw.waitForClose(within: .seconds(5))
            try await eventually("counted") { nodes[1].metrics.dropped("oversized_frame") == 1 }
            nodes[0].transport.send([4, 2], to: nodes[1].member)
            try await eventually("still serving") { nodes[1].inbox.payloads(from: nodes[0].member) == [[4, 2]] }
            #expect(nodes[1].transport.connectedPeers == [nodes[0].member])
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }

    @Test func aGarbageSignatureIsRefused() async throws {
        let validators = TestValidator.make(2)
        let node = TestNode.make(validators[1], allowed: validators)
        try await node.transport.start()
        do {
            // A well-formed hello claiming validator 0 (its public key is public), then a signature it cannot make.
            let hello = HelloBytes.make(chain: testChain, claiming: validators[0].publicKey)
            let raw = try await RawClient.connect(to: node.address)
            try await raw.write(RawClient.frame(hello) + RawClient.frame([UInt8](repeating: 0x5A, count: 64)))
            try await raw.waitForClose(within: .seconds(5))
            try await eventually("counted") { node.metrics.dropped("bad_handshake") == 1 }
            #expect(node.transport.connectedPeers.isEmpty)
            #expect(node.inbox.messages.isEmpty)
        } catch { reportUnexpected(error) }
        await node.transport.stop()
    }

    @Test func aSilentConnectionTimesOut() async throws {
        let validators = TestValidator.make(1)
        let node = TestNode.make(validators[0], allowed: validators) { $0.handshakeTimeout = .milliseconds(200) }
        try await node.transport.start()
        do {
            let raw = try await RawClient.connect(to: node.address)
            try await raw.waitForClose(within: .seconds(5))
            try await eventually("counted") { node.metrics.dropped("handshake_timeout") == 1 }
        } catch { reportUnexpected(error) }
        await node.transport.stop()
    }

    @Test func aPeerThatStartsLaterIsReachedByBackoff() async throws {
        let validators = TestValidator.make(2)
        let port = try await freePort()
        let early = TestNode.make(
            validators[0],
            allowed: validators,
            peers: [validators[1].member: PeerAddress(host: "127.0.0.1", port: port)]
        )
        try await early.transport.start()
        #expect(early.transport.send([1, 2, 3], to: validators[1].member) == .queued, "queued while disconnected")
        try await Task.sleep(for: .milliseconds(600))
        let late = TestNode.make(validators[1], allowed: validators, port: port)
        try await late.transport.start()
        do {
            try await eventually("connected") { early.transport.connectedPeers == [late.member] }
            try await eventually("the queued message arrives") {
                late.inbox.payloads(from: early.member) == [[1, 2, 3]]
            }
            let status = try #require(early.transport.status().first)
            #expect(status.reconnects >= 1)
            #expect(early.metrics.value("facet_peer_reconnects_total") >= 1)
        } catch { reportUnexpected(error) }
        await late.transport.stop()
        await early.transport.stop()
    }

    @Test func aRestartedPeerIsReconnected() async throws {
        let validators = TestValidator.make(2)
        var nodes = try await startCluster(validators)
        do {
            try await eventually("connected") { nodes[0].transport.connectedPeers.count == 1 }
            let port = nodes[1].address.port
            await nodes[1].transport.stop()
            try await eventually("disconnected") { nodes[0].transport.connectedPeers.isEmpty }
            nodes[1] = TestNode.make(validators[1], allowed: validators, port: port)
            try await nodes[1].transport.start()
            try await eventually("reconnected") { nodes[0].transport.connectedPeers == [validators[1].member] }
            nodes[0].transport.send([7], to: validators[1].member)
            nodes[1].transport.send([8], to: validators[0].member)
            try await eventually("to the restarted peer") { nodes[1].inbox.payloads(from: nodes[0].member) == [[7]] }
            try await eventually("from the restarted peer") {
                nodes[0].inbox.payloads(from: nodes[1].member) == [[8]]
            }
            #expect(nodes[0].transport.status().first?.reconnects ?? 0 >= 1)
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }

    @Test func aFullQueueDropsInsteadOfGrowing() async throws {
        let validators = TestValidator.make(2)
        let port = try await freePort()
        let node = TestNode.make(
            validators[0],
            allowed: validators,
            peers: [validators[1].member: PeerAddress(host: "127.0.0.1", port: port)]
        ) {
            $0.maxFrameBytes = 1024
            $0.maxQueuedFrames = 16
            $0.maxQueuedBytes = 4096
        }
        try await node.transport.start()
        let payload = [UInt8](repeating: 0xCD, count: 100)
        var queued = 0
        for _ in 0..<10_000 where node.transport.send(payload, to: validators[1].member) == .queued { queued += 1 }
        #expect(queued == 16)
        #expect(node.metrics.dropped("queue_full") == 10_000 - 16)
        let status = try #require(node.transport.status().first)
        #expect(status.queuedFrames == 16 && status.queuedBytes == 1600 && status.drops == 10_000 - 16)
        // The byte bound binds too: 4 frames of 1000 bytes fill 4096 bytes with room for less than a fifth.
        let other = TestNode.make(validators[1], allowed: validators) {
            $0.maxFrameBytes = 1024
            $0.maxQueuedBytes = 4096
        }
        var big = 0
        for _ in 0..<100
        where other.transport.send([UInt8](repeating: 1, count: 1000), to: validators[0].member) == .queued {
            big += 1
        }
        #expect(big == 4)
        #expect(
            other.transport.send([UInt8](repeating: 1, count: 1025), to: validators[0].member) == .dropped(.unsendable))
        await node.transport.stop()
        await other.transport.stop()
    }

    @Test func aPeerThatDoesNotReadFillsTheQueueNotMemory() async throws {
        let validators = TestValidator.make(2)
        // The peer completes the handshake as validator 1, then never reads.
        let stuck = try await StuckPeer.start(as: validators[1], allowing: validators[0])
        let node = TestNode.make(
            validators[0],
            allowed: validators,
            peers: [validators[1].member: stuck.address]
        ) {
            $0.maxFrameBytes = 64 * 1024
            $0.maxQueuedFrames = 64
            $0.maxQueuedBytes = 1024 * 1024
        }
        try await node.transport.start()
        do {
            try await eventually("connected") { node.transport.connectedPeers.count == 1 }
            let payload = [UInt8](repeating: 0xEE, count: 64 * 1024)
            // 1000 × 64 KiB = 62.5 MiB offered; the socket buffers and the queue hold a few MiB at most. Yielding
            // every 20 sends (not every send) keeps the loop short on a loaded machine, where a yield can wait long.
            for index in 0..<1000 {
                node.transport.send(payload, to: validators[1].member)
                if index % 20 == 0 { await Task.yield() }
            }
            try await eventually("drops") { node.metrics.dropped("queue_full") > 0 }
            let status = try #require(node.transport.status().first)
            #expect(status.queuedFrames <= 64 && status.queuedBytes <= 1024 * 1024)
            #expect(status.framesOut < 1000, "the writer stopped when the channel was not writable")
        } catch { reportUnexpected(error) }
        await node.transport.stop()
        await stuck.stop()
    }
}

@Suite(.timeLimit(.minutes(5)))
struct PeerAllowListTests {
    @Test func aMemberRemovedFromTheAllowListIsDisconnectedAndRefused() async throws {
        let validators = TestValidator.make(3)
        let nodes = try await startCluster(validators)
        do {
            try await eventually("all connected") { nodes.allSatisfy { $0.transport.connectedPeers.count == 2 } }
            // Validator 0 (the lowest id, which dials the others) leaves the set; 1 and 2 learn it.
            var members: [MemberID: PublicKey] = [:]
            for validator in validators.dropFirst() { members[validator.member] = validator.publicKey }
            nodes[1].transport.updateAllowed(members)
            nodes[2].transport.updateAllowed(members)
            try await eventually("0 disconnected from 1 and 2") {
                nodes[1].transport.connectedPeers == [validators[2].member]
                    && nodes[2].transport.connectedPeers == [validators[1].member]
                    && nodes[0].transport.connectedPeers.isEmpty
            }
            #expect(nodes[1].transport.send([1], to: validators[0].member) == .dropped(.unsendable))
            #expect(nodes[1].transport.broadcast([2]) == 1)
            #expect(nodes[1].transport.status().map(\.member) == [validators[2].member])
            // Validator 0 still redials 1 and 2 and is refused as not a validator.
            try await eventually("0 refused") {
                nodes[1].metrics.dropped("not_validator") >= 1 && nodes[2].metrics.dropped("not_validator") >= 1
            }
            try await eventually("2 still hears 1") { nodes[2].inbox.payloads(from: validators[1].member) == [[2]] }
            #expect(nodes[0].inbox.payloads(from: validators[1].member).isEmpty)
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }

    @Test func anAllowListFromAValidatorSet() async throws {
        let validators = TestValidator.make(2)
        let node = TestNode.make(validators[0], allowed: [])
        #expect(node.transport.status().isEmpty)
        let set = ValidatorSet(validators.map { Validator(member: $0.member, publicKey: $0.publicKey) })
        node.transport.updateAllowed(set)
        #expect(node.transport.status().map(\.member) == [validators[1].member], "never itself")
        #expect(node.transport.send([1], to: validators[1].member) == .queued)
        await node.transport.stop()
    }
}
