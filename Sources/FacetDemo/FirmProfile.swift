import FacetCore
import FacetLedger

/// A generated firm and its ground truth. `quality` (0 to 1000) is hidden: it never reaches the ledger, but
/// drives how the firm trades, confirms and pays, so the credit engine can be measured against it.
public struct FirmProfile: Sendable {
    public enum Size: Int, Sendable, CaseIterable { case small, medium, large }

    public let member: DemoMember
    public let cluster: Int
    public let size: Size
    public let quality: Int
    /// A misbehaving firm: it inflates its revenue with invoices its buyers never confirm, and (if it is in the
    /// circular-trading ring) with invoices its ring partners confirm and pay back round the circle.
    public let fraudulent: Bool
    /// The history month the firm joins in (older firms are there from the start).
    public let joinMonth: Int
    public let categories: [PieceCategory]

    public var id: MemberID { member.id }
}
