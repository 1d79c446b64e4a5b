import FacetCore

/// A validator reports another validator's equivocation: two conflicting signed messages at one slot. The ledger
/// checks the proof itself, so a report needs no trust in the reporter; recording it makes the misbehavior part of
/// the offender's public history, where the consortium can act on it (suspension, a new validator set).
public struct ReportEvidence: Hashable, Sendable, CanonicalCodable {
    public var misbehavior: Misbehavior

    public init(misbehavior: Misbehavior) {
        self.misbehavior = misbehavior
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(misbehavior)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        misbehavior = try decoder.decode()
    }
}
