import FacetCore
import FacetLedger

/// What a validator knows of its peers' heads, and whom block sync asks next: a pure value, time passed in.
///
/// A peer's announced height is an unsigned claim. It decides whom to ask, but it counts (for `best`, the mode and
/// the health check) only once the peer backs it by serving committed blocks with certificates that this node
/// applies, or when it is at most one height ahead (nothing to prove: a commit in flight). A peer that is asked and
/// fails (answers nothing, serves a block that does not verify, or stays silent past `timeout`) loses its trust and
/// is not asked again for a penalty that doubles with each failure in a row; the next request goes to another
/// peer, a trusted one first. So a peer announcing a height it never serves cannot hold a node in sync, and sync
/// always ends: each request is answered or times out, and a failing peer is set aside (maxPeerHeight poisoning,
/// tendermint#2699).
public struct PeerHeads: Sendable {
    /// A sync request in flight.
    public struct Request: Hashable, Sendable {
        public var peer: MemberID
        public var from: UInt64
        public var sent: Duration
    }

    struct Peer: Sendable {
        var claimed: UInt64 = 0
        var trusted = false
        var failures = 0
        var setAsideUntil: Duration?
    }

    public let timeout: Duration
    public let penalty: Duration
    public let maxPenalty: Duration
    var peers: [MemberID: Peer] = [:]
    public private(set) var pending: Request?

    public init(timeout: Duration, penalty: Duration? = nil, maxPenalty: Duration = .seconds(300)) {
        precondition(timeout > .zero, "a sync request waits for something")
        self.timeout = timeout
        self.penalty = penalty ?? timeout * 2
        self.maxPenalty = max(maxPenalty, self.penalty)
    }

    /// A peer announced its head (a `status` message).
    public mutating func claim(_ height: UInt64, by peer: MemberID) {
        peers[peer, default: Peer()].claimed = height
    }

    /// The peer's announced head, trusted or not.
    public func claimed(by peer: MemberID) -> UInt64? { peers[peer]?.claimed }

    /// Whether the peer's claim counts.
    public func isTrusted(_ peer: MemberID, head: UInt64) -> Bool {
        guard let state = peers[peer] else { return false }
        return state.trusted || state.claimed <= head + 1
    }

    /// The highest head a peer backs (0 when none): what `/v1/status` shows and what says this node is behind.
    public func best(head: UInt64) -> UInt64 {
        var best: UInt64 = 0
        for (member, state) in peers where isTrusted(member, head: head) { best = max(best, state.claimed) }
        return best
    }

    /// Whom to ask for the blocks after `head`, if anyone: a peer ahead by two heights or more (one is the normal
    /// lag of a commit in flight), or by one when `force`d (this node's own height stalled). Nil while a request
    /// for the same height is in flight and young. A request that timed out counts as its peer's failure.
    public mutating func nextRequest(head: UInt64, force: Bool, at now: Duration) -> Request? {
        if let pending {
            if now - pending.sent < timeout && pending.from == head + 1 { return nil }
            if now - pending.sent >= timeout { fail(pending.peer, at: now) }
            self.pending = nil
        }
        var choice: (member: MemberID, claimed: UInt64, trusted: Bool)?
        for (member, state) in peers {
            guard state.claimed > head, force || state.claimed > head + 1 else { continue }
            if let until = state.setAsideUntil, now < until { continue }
            let candidate = (member, state.claimed, state.trusted)
            if let current = choice {
                // Trusted first, then the highest claim, then the lower member id (deterministic).
                let better =
                    (candidate.2 && !current.trusted)
                    || (candidate.2 == current.trusted
                        && (candidate.1 > current.claimed
                            || (candidate.1 == current.claimed && candidate.0 < current.member)))
                if better { choice = candidate }
            } else {
                choice = candidate
            }
        }
        guard let choice else { return nil }
        let request = Request(peer: choice.member, from: head + 1, sent: now)
        pending = request
        return request
    }

    /// Whether a sync answer from `peer` was asked for: answers nobody asked for are not read.
    public func expects(_ peer: MemberID) -> Bool { pending?.peer == peer }

    /// The asked peer answered and this node applied `applied` of its blocks, reaching `head`. Serving backs the
    /// peer's claim; an answer with nothing usable while it claimed more is a failure.
    public mutating func served(by peer: MemberID, applied: Int, head: UInt64, at now: Duration) {
        if pending?.peer == peer { pending = nil }
        if applied > 0 {
            var state = peers[peer, default: Peer()]
            state.trusted = true
            state.failures = 0
            state.setAsideUntil = nil
            state.claimed = max(state.claimed, head)
            peers[peer] = state
        } else if let state = peers[peer], state.claimed > head {
            fail(peer, at: now)
        }
    }

    /// The request in flight is dropped without judging its peer (this node could not apply what it served: its
    /// own store failed); the next request may go to the same peer.
    public mutating func abandon() { pending = nil }

    /// The peer served a block that does not verify or execute, or did not answer: its claim stops counting and it
    /// is set aside for a penalty that doubles with each failure in a row.
    public mutating func fail(_ peer: MemberID, at now: Duration) {
        if pending?.peer == peer { pending = nil }
        var state = peers[peer, default: Peer()]
        state.trusted = false
        let doublings = min(state.failures, 16)
        state.failures += 1
        state.setAsideUntil = now + min(penalty * (1 << doublings), maxPenalty)
        peers[peer] = state
    }

    /// Forgets peers no longer in the validator set (bounded by the set).
    public mutating func keep(only members: Set<MemberID>) {
        peers = peers.filter { members.contains($0.key) }
        if let pending, !members.contains(pending.peer) { self.pending = nil }
    }
}
