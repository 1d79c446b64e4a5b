import FacetCore

/// One row of the history index: `subject` (a member, piece, invoice, loan, offer, dispute or guarantee id)
/// appears in the block's transaction at `position`. Height, time, kind and outcome come from the block.
public struct IndexEntry: Hashable, Comparable, Sendable {
    public let position: Int
    public let subject: Hash256

    public init(position: Int, subject: Hash256) {
        precondition(position >= 0, "negative transaction position")
        self.position = position
        self.subject = subject
    }

    public static func < (lhs: IndexEntry, rhs: IndexEntry) -> Bool {
        lhs.position != rhs.position ? lhs.position < rhs.position : lhs.subject < rhs.subject
    }
}
