import FacetCore
import FacetLedger

/// A joining node's state sync, as an I/O-free machine with time passed in (`contracts/peer-protocol.md`, "State
/// sync"): it asks every peer for its snapshot manifest, picks one that `SnapshotTrust` accepts, fetches its chunks
/// from the peers that offered it (a few at a time, each checked against the manifest on arrival), has each verified
/// chunk persisted, and once all are in asks for the snapshot's assembly, which adopts it only if it is exactly the
/// certified state (`StateSnapshot.assemble`).
///
/// Nothing a peer says is trusted: a manifest that fails the trust check, a chunk that does not hash to the
/// manifest's, an answer nobody asked for and a request left unanswered past `requestTimeout` each set that peer
/// aside for `penalty`, and the chunk is asked of another. A manifest whose assembly fails is never taken again and
/// its offerers are set aside. With no acceptable offer, it keeps asking: it ends with the certified state or not at
/// all.
public struct StateSyncMachine: Sendable {
    public struct Settings: Hashable, Sendable {
        /// How long offers are gathered before one is picked, and how often manifests are asked for again.
        public var discoveryWindow: Duration
        public var requestTimeout: Duration
        public var penalty: Duration
        /// Chunk requests in flight, in all and to one peer.
        public var maxInFlight: Int
        public var maxInFlightPerPeer: Int
        /// The least time between two chunk requests to one peer: under the serving quota
        /// (`ValidatorMachine.snapshotRequestsPerSecond`), so an honest server never drops them.
        public var perPeerInterval: Duration

        public init(
            discoveryWindow: Duration = .seconds(2), requestTimeout: Duration = .seconds(10),
            penalty: Duration = .seconds(30), maxInFlight: Int = 8, maxInFlightPerPeer: Int = 2,
            perPeerInterval: Duration = .milliseconds(150)
        ) {
            precondition(maxInFlight > 0 && maxInFlightPerPeer > 0, "at least one request in flight")
            self.discoveryWindow = discoveryWindow
            self.requestTimeout = requestTimeout
            self.penalty = penalty
            self.maxInFlight = maxInFlight
            self.maxInFlightPerPeer = maxInFlightPerPeer
            self.perPeerInterval = perPeerInterval
        }
    }

    public enum Event: Sendable {
        /// The peers to ask, and a manifest with the indices of its chunks already persisted and verified (a resumed
        /// download), if any.
        case start(peers: [MemberID], resumed: SnapshotManifest?, have: Set<Int>)
        /// A peer's answer to a manifest request: its latest snapshot, or nil when it has none.
        case manifest(SnapshotManifest?, from: MemberID)
        case chunk(manifest: Hash256, index: Int, bytes: [UInt8], from: MemberID)
        /// The peers connected now (a joining node's links come up after it starts): new ones are asked at once.
        case peers([MemberID])
        /// Time passed.
        case tick
        /// The answer to `.assemble`: nil when the snapshot was adopted.
        case assembled(SnapshotRejection?)
    }

    public enum Action: Sendable {
        case requestManifest(to: MemberID)
        case requestChunk(manifest: Hash256, index: Int, to: MemberID)
        /// Start a download of this manifest: what was persisted of any other goes.
        case persistManifest(SnapshotManifest)
        case persistChunk(index: Int, bytes: [UInt8])
        /// Every chunk is in: assemble and check the snapshot, adopting it only if it is the certified state; answer
        /// `.assembled`.
        case assemble(SnapshotManifest)
        /// State sync is over: the store holds the snapshot's state.
        case finished(SnapshotManifest)
        /// A peer was set aside, and why (a `SnapshotRejection` code or `state_sync.silent`/`state_sync.unsolicited`).
        case penalized(MemberID, reason: String)
    }

    public enum Phase: Hashable, Sendable {
        case idle, discovering, downloading, assembling, finished
    }

    public let trust: SnapshotTrust
    public let settings: Settings
    public private(set) var phase = Phase.idle
    public private(set) var target: SnapshotManifest?
    public private(set) var have = Set<Int>()
    private var targetHash: Hash256?
    private var peers: [MemberID] = []
    private var penalizedUntil: [MemberID: Duration] = [:]
    /// Acceptable offers by manifest hash, with who offered each.
    private var offers: [Hash256: (manifest: SnapshotManifest, peers: Set<MemberID>)] = [:]
    private var rejected = Set<Hash256>()
    private var manifestAsked: [MemberID: Duration] = [:]
    /// Peers that answered a manifest request at least once.
    private var answered = Set<MemberID>()
    private var lastDiscovery: Duration = .zero
    private var inFlight: [Int: (peer: MemberID, at: Duration)] = [:]
    private var lastRequest: [MemberID: Duration] = [:]
    private var now: Duration = .zero
    private var out: [Action] = []

    public init(trust: SnapshotTrust, settings: Settings = Settings()) {
        self.trust = trust
        self.settings = settings
    }

    public var chunkCount: Int { target?.chunkHashes.count ?? 0 }

    public mutating func handle(_ event: Event, at now: Duration) -> [Action] {
        self.now = max(self.now, now)
        out = []
        switch event {
        case .start(let peers, let resumed, let have):
            start(peers: peers, resumed: resumed, have: have)
        case .manifest(let manifest, let peer):
            receive(manifest, from: peer)
        case .chunk(let hash, let index, let bytes, let peer):
            receive(chunk: bytes, index: index, manifest: hash, from: peer)
        case .peers(let peers):
            self.peers = peers.sorted()
            if phase != .idle && phase != .finished { askNew() }
        case .tick:
            tick()
        case .assembled(let rejection):
            assembled(rejection)
        }
        return out
    }

    private mutating func start(peers: [MemberID], resumed: SnapshotManifest?, have: Set<Int>) {
        guard phase == .idle else { return }
        self.peers = peers.sorted()
        phase = .discovering
        if let resumed, (try? trust.check(resumed)) != nil {
            offers[resumed.hash] = (resumed, [])
            adopt(resumed, have: have.filter { resumed.chunkHashes.indices.contains($0) })
        }
        askManifests()
    }

    private func available(_ peer: MemberID) -> Bool { (penalizedUntil[peer] ?? .zero) <= now }

    private mutating func penalize(_ peer: MemberID, _ reason: String) {
        penalizedUntil[peer] = now + settings.penalty
        for (index, request) in inFlight where request.peer == peer { inFlight[index] = nil }
        out.append(.penalized(peer, reason: reason))
    }

    private mutating func askManifests() {
        lastDiscovery = now
        for peer in peers where available(peer) && manifestAsked[peer] == nil {
            manifestAsked[peer] = now
            out.append(.requestManifest(to: peer))
        }
    }

    /// Asks the peers never asked yet, without restarting the discovery window.
    private mutating func askNew() {
        for peer in peers where available(peer) && manifestAsked[peer] == nil && !answered.contains(peer) {
            manifestAsked[peer] = now
            out.append(.requestManifest(to: peer))
        }
    }

    private mutating func receive(_ manifest: SnapshotManifest?, from peer: MemberID) {
        guard manifestAsked.removeValue(forKey: peer) != nil else {
            penalize(peer, "state_sync.unsolicited")
            return
        }
        answered.insert(peer)
        guard let manifest else { return }
        let hash = manifest.hash
        guard !rejected.contains(hash) else {
            penalize(peer, SnapshotRejection.Code.wrongRoot.rawValue)
            return
        }
        if offers[hash] == nil {
            do throws(SnapshotRejection) {
                try trust.check(manifest)
            } catch {
                penalize(peer, error.code.rawValue)
                return
            }
            offers[hash] = (manifest, [])
        }
        offers[hash]?.peers.insert(peer)
        if phase == .downloading && hash == targetHash { request() }
    }

    private mutating func receive(chunk bytes: [UInt8], index: Int, manifest hash: Hash256, from peer: MemberID) {
        guard phase == .downloading, hash == targetHash, let target, inFlight[index]?.peer == peer else {
            // Late answers to a request already re-sent elsewhere are dropped, the peer not blamed: it answered.
            if inFlight.values.contains(where: { $0.peer == peer }) || hash == targetHash { return }
            penalize(peer, "state_sync.unsolicited")
            return
        }
        inFlight[index] = nil
        guard StateSnapshot.chunkMatches(bytes, index: index, of: target) else {
            penalize(
                peer,
                bytes.count > SnapshotManifest.maxChunkBytes
                    ? SnapshotRejection.Code.oversize.rawValue : SnapshotRejection.Code.badChunk.rawValue)
            request()
            return
        }
        have.insert(index)
        out.append(.persistChunk(index: index, bytes: bytes))
        if have.count == target.chunkHashes.count {
            phase = .assembling
            out.append(.assemble(target))
        } else {
            request()
        }
    }

    private mutating func tick() {
        switch phase {
        case .idle, .assembling, .finished:
            return
        case .discovering:
            if now - lastDiscovery >= settings.discoveryWindow, let best = bestOffer() {
                adopt(best, have: [])
                return
            }
        case .downloading:
            for (index, request) in inFlight.sorted(by: { $0.key < $1.key })
            where now - request.at >= settings.requestTimeout {
                inFlight[index] = nil
                penalize(request.peer, "state_sync.silent")
            }
            // The target's offerers went away (or lied) and a newer snapshot is offered: take that one.
            if sources().isEmpty, now - lastDiscovery >= settings.discoveryWindow, let best = bestOffer(),
                best.hash != targetHash, !(offers[targetHash ?? .zero]?.peers.contains(where: available) ?? false)
            {
                adopt(best, have: [])
                return
            }
            request()
        }
        // A manifest request unanswered past the timeout is silence.
        for (peer, at) in manifestAsked.sorted(by: { $0.key < $1.key }) where now - at >= settings.requestTimeout {
            manifestAsked[peer] = nil
            penalize(peer, "state_sync.silent")
        }
        if now - lastDiscovery >= settings.discoveryWindow { askManifests() }
    }

    /// The offer to download: the highest height, then the most offerers still available, then the lowest hash.
    private func bestOffer() -> SnapshotManifest? {
        let candidates = offers.filter { !rejected.contains($0.key) && $0.value.peers.contains(where: available) }
        return candidates.max { left, right in
            let (l, r) = (left.value, right.value)
            if l.manifest.height != r.manifest.height { return l.manifest.height < r.manifest.height }
            let (lp, rp) = (l.peers.filter(available).count, r.peers.filter(available).count)
            if lp != rp { return lp < rp }
            return left.key > right.key
        }?.value.manifest
    }

    private mutating func adopt(_ manifest: SnapshotManifest, have: Set<Int>) {
        let hash = manifest.hash
        if hash != targetHash && have.isEmpty { out.append(.persistManifest(manifest)) }
        target = manifest
        targetHash = hash
        self.have = have
        inFlight = [:]
        phase = .downloading
        if have.count == manifest.chunkHashes.count {
            phase = .assembling
            out.append(.assemble(manifest))
            return
        }
        request()
    }

    private func sources() -> [MemberID] {
        guard let targetHash, let offer = offers[targetHash] else { return [] }
        return offer.peers.filter(available).sorted()
    }

    /// Fills the request window: each missing chunk not in flight goes to the source with the fewest requests, at most
    /// one per source per `perPeerInterval`.
    private mutating func request() {
        guard phase == .downloading, let target, let targetHash else { return }
        let sources = sources().filter { peer in
            lastRequest[peer].map { now - $0 >= settings.perPeerInterval } ?? true
        }
        guard !sources.isEmpty else { return }
        var load = [MemberID: Int]()
        for request in inFlight.values { load[request.peer, default: 0] += 1 }
        for index in target.chunkHashes.indices where !have.contains(index) && inFlight[index] == nil {
            guard inFlight.count < settings.maxInFlight else { return }
            // One request per peer per call: a peer is asked again `perPeerInterval` later at the earliest.
            let candidates = sources.filter { lastRequest[$0] != now && (load[$0] ?? 0) < settings.maxInFlightPerPeer }
            guard let peer = candidates.min(by: { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }) else { return }
            load[peer, default: 0] += 1
            inFlight[index] = (peer, now)
            lastRequest[peer] = now
            out.append(.requestChunk(manifest: targetHash, index: index, to: peer))
        }
    }

    private mutating func assembled(_ rejection: SnapshotRejection?) {
        guard phase == .assembling, let target, let targetHash else { return }
        guard let rejection else {
            phase = .finished
            out.append(.finished(target))
            return
        }
        rejected.insert(targetHash)
        for peer in (offers[targetHash]?.peers ?? []).sorted() { penalize(peer, rejection.code.rawValue) }
        offers[targetHash] = nil
        self.target = nil
        self.targetHash = nil
        have = []
        inFlight = [:]
        phase = .discovering
        lastDiscovery = now
        askManifests()
    }
}
