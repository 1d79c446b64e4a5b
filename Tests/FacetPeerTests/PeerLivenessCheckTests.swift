import NIOCore
import Testing

@testable import FacetPeer

/// The keepalive decision under injected time: no sockets, no clocks.
@Suite struct PeerLivenessCheckTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let liveness = PeerLiveness(pingAfter: .seconds(2), closeAfter: .seconds(6))

    func at(_ millis: Int64) -> NIODeadline { start + .milliseconds(millis) }

    @Test func aSilentLinkIsPingedOnceThenClosed() {
        var check = PeerLivenessCheck(liveness)
        #expect(check.check(lastReceived: start, now: at(0)) == .wait(until: at(2000)))
        #expect(check.check(lastReceived: start, now: at(1999)) == .wait(until: at(2000)))
        #expect(check.check(lastReceived: start, now: at(2000)) == .ping(thenCheckAt: at(6000)))
        #expect(check.awaitingAnswer)
        #expect(check.check(lastReceived: start, now: at(4000)) == .wait(until: at(6000)), "one ping, not one a check")
        #expect(check.check(lastReceived: start, now: at(5999)) == .wait(until: at(6000)))
        #expect(check.check(lastReceived: start, now: at(6000)) == .close)
        #expect(check.check(lastReceived: start, now: at(60_000)) == .close)
    }

    @Test func trafficPostponesThePing() {
        var check = PeerLivenessCheck(liveness)
        // Bytes arrived at 1.5 s: the check due at 2 s moves to 3.5 s.
        #expect(check.check(lastReceived: at(1500), now: at(2000)) == .wait(until: at(3500)))
        #expect(check.check(lastReceived: at(3400), now: at(3500)) == .wait(until: at(5400)))
        #expect(!check.awaitingAnswer)
    }

    @Test func anAnsweredPingLetsTheNextSilenceBePinged() {
        var check = PeerLivenessCheck(liveness)
        #expect(check.check(lastReceived: start, now: at(2000)) == .ping(thenCheckAt: at(6000)))
        let received = check.emptyFrameReceived()
        #expect(received == .answer, "the answer to our ping is not answered")
        #expect(!check.awaitingAnswer)
        // The answer arrived at 2.1 s; the driver checks again at once, and the next ping is due 2 s after it.
        #expect(check.check(lastReceived: at(2100), now: at(2100)) == .wait(until: at(4100)))
        #expect(check.check(lastReceived: at(2100), now: at(4100)) == .ping(thenCheckAt: at(8100)))
    }

    @Test func trafficWithoutAnAnswerDoesNotEndTheWait() {
        var check = PeerLivenessCheck(liveness)
        #expect(check.check(lastReceived: start, now: at(2000)) == .ping(thenCheckAt: at(6000)))
        // Application frames keep arriving but no empty frame: no second ping, and no close while bytes arrive.
        #expect(check.check(lastReceived: at(5000), now: at(6000)) == .wait(until: at(11_000)))
        #expect(check.awaitingAnswer)
        #expect(check.check(lastReceived: at(5000), now: at(11_000)) == .close)
    }

    @Test func thePeersPingIsAnswered() {
        var check = PeerLivenessCheck(liveness)
        let first = check.emptyFrameReceived()
        let second = check.emptyFrameReceived()
        #expect(first == .ping && second == .ping)
        #expect(!check.awaitingAnswer)
    }

    @Test func crossingPingsAnswerEachOther() {
        var a = PeerLivenessCheck(liveness)
        var b = PeerLivenessCheck(liveness)
        #expect(a.check(lastReceived: start, now: at(2000)) == .ping(thenCheckAt: at(6000)))
        #expect(b.check(lastReceived: start, now: at(2000)) == .ping(thenCheckAt: at(6000)))
        let received = [a.emptyFrameReceived(), b.emptyFrameReceived()]
        #expect(received == [.answer, .answer], "each takes the other's ping as its answer")
        #expect(!a.awaitingAnswer && !b.awaitingAnswer)
    }

    /// Every interleaving of up to `pings` ping timers per side with the deliveries over two FIFO links: each side
    /// sends at most one answer per ping, the exchange always ends (answers are never answered), and when it ends
    /// neither side still waits.
    @Test(arguments: [1, 2, 3]) func everyInterleavingEndsWithoutAStorm(pings: Int) {
        var explored = 0
        explore(KeepaliveModel(a: PeerLivenessCheck(liveness), b: PeerLivenessCheck(liveness)), pings: pings) {
            explored += 1
        }
        #expect(explored > pings, "the search reached quiescent states")
    }

    private func explore(_ model: KeepaliveModel, pings: Int, quiescent: () -> Void) {
        let frames = model.sent[0] + model.sent[1]
        let pinged = model.pings[0] + model.pings[1]
        guard frames <= 2 * pinged else {
            Issue.record("\(frames) empty frames for \(pinged) pings: answers were answered")
            return
        }
        let moves = model.moves(pingBudget: pings, now: at(2000), lastReceived: start)
        guard !moves.isEmpty else {
            #expect(!model.a.awaitingAnswer && !model.b.awaitingAnswer, "a ping went unanswered")
            quiescent()
            return
        }
        for next in moves { explore(next, pings: pings, quiescent: quiescent) }
    }
}

/// Two sides' keepalive checks joined by two FIFO links carrying empty frames.
private struct KeepaliveModel {
    var a: PeerLivenessCheck
    var b: PeerLivenessCheck
    /// Empty frames in flight: [0] from a to b, [1] from b to a.
    var inFlight = [0, 0]
    var sent = [0, 0]
    var pings = [0, 0]

    func side(_ index: Int) -> PeerLivenessCheck { index == 0 ? a : b }

    mutating func set(_ index: Int, _ check: PeerLivenessCheck) {
        if index == 0 { a = check } else { b = check }
    }

    /// The states one step on: a side's ping timer fires (within its budget), or a link delivers its oldest frame.
    func moves(pingBudget: Int, now: NIODeadline, lastReceived: NIODeadline) -> [KeepaliveModel] {
        var moves: [KeepaliveModel] = []
        for index in 0..<2 {
            if pings[index] < pingBudget {
                var next = self
                var check = side(index)
                if case .ping = check.check(lastReceived: lastReceived, now: now) {
                    next.pings[index] += 1
                    next.inFlight[index] += 1
                    next.sent[index] += 1
                    next.set(index, check)
                    moves.append(next)
                }
            }
            if inFlight[index] > 0 {
                var next = self
                let receiver = 1 - index
                var check = side(receiver)
                next.inFlight[index] -= 1
                if check.emptyFrameReceived() == .ping {
                    next.inFlight[receiver] += 1
                    next.sent[receiver] += 1
                }
                next.set(receiver, check)
                moves.append(next)
            }
        }
        return moves
    }
}
