import FacetCore
import FacetLedger
import FacetNode
import Synchronization

/// The signatures of signed reads a node has accepted while their time is fresh, so that none is accepted twice
/// (`auth.replayed`). A signature is remembered until its signed time falls more than `SignedRead.maxSkewMillis`
/// behind the node's clock; after that the freshness check refuses it anyway.
///
/// Memory is bounded twice over (and the time too: a sweep of expired entries runs at most once a second):
/// - at most `perMemberLimit` remembered reads per member: past it that member's reads are refused
///   (`auth.rate_limited`, 429) until its old ones expire, so one member cannot crowd out the others;
/// - at most `capacity` in all: when full, expired entries are swept, and if none has expired the oldest quarter
///   is forgotten and the node raises its floor to the newest forgotten time, refusing every read signed at or
///   before it (`auth.replayed`). So a full guard refuses reads it cannot tell apart, and never accepts a replay.
public final class ReplayGuard: Sendable {
    public enum Verdict: Hashable, Sendable {
        case accepted
        case replayed
        case rateLimited
    }

    public let capacity: Int
    public let perMemberLimit: Int

    private struct State {
        var seen: [Signature: (member: MemberID, time: Int64)] = [:]
        var perMember: [MemberID: Int] = [:]
        /// Reads signed at or before this time are refused: the guard forgot some of them.
        var floor: Int64 = .min
        /// When expired entries were last swept: a sweep reads every entry, so it runs at most once a second,
        /// however many reads a member at its limit sends.
        var lastSweep: Int64 = .min
    }

    private let state = Mutex(State())

    public init(capacity: Int = 200_000, perMemberLimit: Int = 20_000) {
        precondition(capacity >= 4 && perMemberLimit >= 1, "a guard remembers something")
        self.capacity = capacity
        self.perMemberLimit = perMemberLimit
    }

    /// Remembers `read` if it is new. Call only for a read whose signature verified and whose time is fresh.
    public func admit(_ read: SignedRead, now: Timestamp) -> Verdict {
        state.withLock { state in
            if read.time <= state.floor || state.seen[read.signature] != nil { return .replayed }
            if state.perMember[read.member, default: 0] >= perMemberLimit {
                Self.sweep(&state, now: now)
                if state.perMember[read.member, default: 0] >= perMemberLimit { return .rateLimited }
            }
            if state.seen.count >= capacity {
                Self.sweep(&state, now: now)
                if state.seen.count >= capacity { forgetOldest(&state) }
                if read.time <= state.floor { return .replayed }
            }
            state.seen[read.signature] = (read.member, read.time)
            state.perMember[read.member, default: 0] += 1
            return .accepted
        }
    }

    /// How many signatures are remembered now.
    public var count: Int { state.withLock { $0.seen.count } }

    /// The least time between two sweeps.
    static let sweepIntervalMillis: Int64 = 1_000

    /// Forgets every entry whose time can no longer pass the freshness check, at most once a `sweepIntervalMillis`.
    private static func sweep(_ state: inout State, now: Timestamp) {
        guard state.lastSweep == .min || now.millis - state.lastSweep >= sweepIntervalMillis else { return }
        state.lastSweep = now.millis
        let (oldest, overflow) = now.millis.subtractingReportingOverflow(SignedRead.maxSkewMillis)
        guard !overflow else { return }
        let expired = state.seen.filter { $0.value.time < oldest }
        for (signature, entry) in expired { forget(signature, entry.member, &state) }
    }

    /// Forgets the oldest quarter of the entries and raises the floor to the newest of them.
    private func forgetOldest(_ state: inout State) {
        let byTime = state.seen.sorted { $0.value.time < $1.value.time }
        let victims = byTime.prefix(max(1, capacity / 4))
        for (signature, entry) in victims { Self.forget(signature, entry.member, &state) }
        if let newest = victims.last?.value.time { state.floor = max(state.floor, newest) }
    }

    private static func forget(_ signature: Signature, _ member: MemberID, _ state: inout State) {
        state.seen[signature] = nil
        let left = state.perMember[member, default: 1] - 1
        state.perMember[member] = left > 0 ? left : nil
    }
}
