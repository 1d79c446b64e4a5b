import FacetCore
import Testing

@testable import FacetPeer

/// The keepalive over real TCP on 127.0.0.1 with short intervals. Every wait has a deadline; the timing of the
/// decisions themselves is tested under injected time in `PeerLivenessCheckTests`.
@Suite(.timeLimit(.minutes(5)))
struct PeerKeepaliveTests {
    static let keepalives = "facet_peer_keepalives_total"

    @Test func aPeerThatStopsAnsweringIsClosedAndRedialled() async throws {
        let validators = TestValidator.make(2)
        // Validator 1 completes the handshake, then reads everything and writes nothing, not even answers.
        let silent = try await StuckPeer.start(as: validators[1], allowing: validators[0], keepsReading: true)
        let node = TestNode.make(validators[0], allowed: validators, peers: [validators[1].member: silent.address]) {
            $0.liveness = PeerLiveness(pingAfter: .milliseconds(100), closeAfter: .milliseconds(400))
        }
        try await node.transport.start()
        do {
            try await eventually("closed for silence and redialled", within: 20) {
                node.metrics.dropped("keepalive_timeout") >= 1 && silent.tally.value.established >= 2
            }
            let seen = silent.tally.value
            #expect(seen.closed >= 1, "the transport closed the silent connection")
            #expect(seen.emptyFrames >= 1, "it pinged before closing")
            #expect(node.metrics.value(Self.keepalives, [("direction", "out")]) >= 1)
            #expect(node.metrics.value(Self.keepalives, [("direction", "in")]) == 0)
            #expect(node.transport.status().first?.reconnects ?? 0 >= 1)
        } catch { reportUnexpected(error) }
        await node.transport.stop()
        await silent.stop()
    }

    #if canImport(Glibc)
        @Test func bothEndsGiveUpOnUnacknowledgedDataAfterCloseAfter() async throws {
            let nodes = try await startCluster(TestValidator.make(2))
            do {
                try await eventually("connected") { nodes.allSatisfy { $0.transport.connectedPeers.count == 1 } }
                for node in nodes {
                    // The dialler's socket on one node, the acceptor's on the other.
                    let channels = node.transport.state.withLock { Array($0.open.values) }
                    #expect(channels.count == 1)
                    for channel in channels {
                        let millis = try await channel.eventLoop.submit {
                            try channel.syncOptions?.getOption(PeerTransport.userTimeout)
                        }.get()
                        #expect(millis == 6000, "TCP_USER_TIMEOUT is the default closeAfter")
                    }
                }
            } catch { reportUnexpected(error) }
            await stopAll(nodes)
        }
    #endif

    @Test func anIdleLinkStaysUpOnAnsweredPings() async throws {
        let validators = TestValidator.make(2)
        // A short ping interval and a generous close, so only a missing answer (not a slow machine) could close.
        let nodes = try await startCluster(validators) {
            $0.liveness = PeerLiveness(pingAfter: .milliseconds(50), closeAfter: .seconds(10))
        }
        do {
            try await eventually("connected") { nodes.allSatisfy { $0.transport.connectedPeers.count == 1 } }
            try await eventually("several keepalives each way") {
                nodes.allSatisfy { $0.metrics.value(Self.keepalives, [("direction", "in")]) >= 5 }
            }
            for node in nodes {
                #expect(node.metrics.dropped("keepalive_timeout") == 0)
                #expect(node.metrics.value("facet_peer_handshakes_total") == 1, "the first connection is still up")
                #expect(node.inbox.messages.isEmpty, "keepalives are not delivered to the application")
                #expect(node.transport.status().first?.framesIn == 0, "nor counted as application frames")
            }
            #expect(nodes[0].transport.send([], to: validators[1].member) == .dropped(.unsendable))
            nodes[0].transport.send([4, 2], to: validators[1].member)
            try await eventually("application frames still flow") {
                nodes[1].inbox.payloads(from: validators[0].member) == [[4, 2]]
            }
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }
}
