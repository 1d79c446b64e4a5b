import FacetCore
import FacetLedger

/// Attestors' standing as the views show it: a record a member attested is flagged, on every view that names it,
/// while that member is suspended, so a lender reading the record sees that its attestor is no longer trusted.
extension LedgerNode {
    /// Which of `members` are suspended in the committed state now.
    public func suspended(among members: [MemberID]) -> Set<MemberID> {
        Set(members.filter { state.record(Member.self, $0.hash)?.status == .suspended })
    }
}
