import FacetCore

/// Which rule a recorded misbehavior broke; the same tags as `Misbehavior`'s encoding.
public enum MisbehaviorKind: UInt8, CanonicalEnum {
    case conflictingVotes = 1
    case conflictingProposals = 2
}

extension Misbehavior {
    public var kind: MisbehaviorKind {
        switch self {
        case .conflictingVotes: .conflictingVotes
        case .conflictingProposals: .conflictingProposals
        }
    }
}

/// A proven equivocation, as recorded by `report_evidence`. Its id is the hash of offender ‖ slot, so one
/// misbehavior (however many conflicting messages it involved, and whoever reports it) is recorded once. The
/// messages themselves stay in the reporting transaction, which the offender's history names.
public struct EvidenceRecord: Hashable, Sendable, CanonicalCodable {
    public var id: Hash256
    public var offender: MemberID
    public var slot: ConsensusSlot
    public var kind: MisbehaviorKind
    public var reporter: MemberID
    /// The block that recorded it, and that block's time.
    public var height: UInt64
    public var time: Timestamp

    public init(
        offender: MemberID, slot: ConsensusSlot, kind: MisbehaviorKind, reporter: MemberID, height: UInt64,
        time: Timestamp
    ) {
        self.id = EvidenceRecord.id(offender: offender, slot: slot)
        self.offender = offender
        self.slot = slot
        self.kind = kind
        self.reporter = reporter
        self.height = height
        self.time = time
    }

    /// `SHA-256(offender id ‖ slot encoding)`: the state key of the evidence for one validator at one slot.
    public static func id(offender: MemberID, slot: ConsensusSlot) -> Hash256 {
        var encoder = CanonicalEncoder()
        encoder.encode(offender)
        encoder.encode(slot)
        return SHA256Hash.digest(encoder.bytes)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(offender)
        encoder.encode(slot)
        encoder.encode(kind)
        encoder.encode(reporter)
        encoder.u64(height)
        encoder.encode(time)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        offender = try decoder.decode()
        slot = try decoder.decode()
        kind = try decoder.decode()
        reporter = try decoder.decode()
        height = try decoder.u64()
        time = try decoder.decode()
        guard id == EvidenceRecord.id(offender: offender, slot: slot) else {
            throw CoreError(.outOfRange, "an evidence record's id is the hash of its offender and slot")
        }
    }
}
