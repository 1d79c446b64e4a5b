import FacetCore
import FacetLedger

/// The blocks proposed at the current height, and the verdict on each one executed: a pure value.
///
/// - A block found invalid is remembered by id with its rejection, so a re-proposal of the same id (a 150-byte
///   message) is answered from memory and never executed again. At most `maxVerdicts` are kept; past that the
///   oldest verdict is forgotten (a forgotten id would be executed once more, never judged differently).
/// - Each proposer's blocks are bounded in bytes (`maxBytesPerProposer`): a new block evicts that proposer's oldest
///   blocks that no lock or valid value pins, and is refused when it cannot fit. A Byzantine proposer fills only its
///   own share; an honest one proposes one new block per round it leads, at most.
public struct HeightBlocks: Sendable {
    public enum Verdict: Hashable, Sendable {
        case valid
        case invalid(BlockRejection)
    }

    struct Entry: Sendable {
        var block: ProposedBlock
        var bytes: Int
        var proposer: MemberID
        var order: UInt64
    }

    public let maxBytesPerProposer: Int
    public static let maxVerdicts = 1_024
    public private(set) var height: UInt64 = 0
    var entries: [Hash256: Entry] = [:]
    var verdicts: [Hash256: Verdict] = [:]
    var verdictOrder: [Hash256] = []
    var counter: UInt64 = 0

    public init(maxBytesPerProposer: Int) {
        precondition(maxBytesPerProposer > 0, "a proposer may hold a block")
        self.maxBytesPerProposer = maxBytesPerProposer
    }

    /// Moves to `height`: blocks and verdicts of other heights are dropped.
    public mutating func start(height: UInt64) {
        guard height != self.height else { return }
        self.height = height
        entries = entries.filter { $0.value.block.height == height }
        verdicts = [:]
        verdictOrder = []
    }

    public subscript(id: Hash256) -> ProposedBlock? { entries[id]?.block }

    public func verdict(_ id: Hash256) -> Verdict? { verdicts[id] }

    public var count: Int { entries.count }

    /// Bytes held for `proposer`'s blocks.
    public func bytes(of proposer: MemberID) -> Int {
        var total = 0
        for entry in entries.values where entry.proposer == proposer { total += entry.bytes }
        return total
    }

    /// Holds `block` (`bytes` encoded) proposed by `proposer`, evicting its older unpinned blocks if needed; false
    /// when it cannot fit beside the pinned ones (the caller treats the proposal as one it cannot check).
    public mutating func insert(_ block: ProposedBlock, bytes: Int, proposer: MemberID, pinned: Set<Hash256>) -> Bool {
        let id = block.id
        if entries[id] != nil { return true }
        guard block.height == height, bytes <= maxBytesPerProposer else { return false }
        var held = self.bytes(of: proposer)
        if held + bytes > maxBytesPerProposer {
            let evictable = entries.filter { $0.value.proposer == proposer && !pinned.contains($0.key) }
                .sorted { $0.value.order < $1.value.order }
            for (evicted, entry) in evictable where held + bytes > maxBytesPerProposer {
                entries[evicted] = nil
                held -= entry.bytes
            }
            guard held + bytes <= maxBytesPerProposer else { return false }
        }
        counter += 1
        entries[id] = Entry(block: block, bytes: bytes, proposer: proposer, order: counter)
        return true
    }

    /// Records the verdict of executing block `id`.
    public mutating func judge(_ id: Hash256, _ verdict: Verdict) {
        guard verdicts[id] == nil else { return }
        if verdictOrder.count >= Self.maxVerdicts {
            verdicts[verdictOrder.removeFirst()] = nil
        }
        verdicts[id] = verdict
        verdictOrder.append(id)
        if case .invalid = verdict { entries[id] = nil }
    }
}
