import FacetCore
import FacetLedger

/// Who may read a firm's private records (invoices, payments, pledges, loans), decided from the committed state:
///
/// - the firm itself reads all of them;
/// - a lender holding the firm's consent, active at the node's clock, reads all of them (the consent is what the
///   firm gave it for: evaluating and financing the firm);
/// - anyone else reads only the records it is a party to: the buyer or seller of an invoice, the payer of a
///   payment, the lender or borrower of a loan, the lender a collateral item secures. A reader who is a party to
///   none of the records asked for is refused (403) rather than answered with an empty list, so a stranger cannot
///   tell an idle firm from a busy one.
public enum ReadAccess: Hashable, Sendable {
    case firm
    case consentedLender
    case party(MemberID)

    /// `viewer` reading `firm`'s records at `now`, given the consent the firm gave the viewer, if any.
    public static func decide(viewer: MemberID, firm: MemberID, consent: Consent?, now: Timestamp) -> ReadAccess {
        if viewer == firm { return .firm }
        if let consent, consent.firm == firm, consent.lender == viewer, consent.isActive(at: now) {
            return .consentedLender
        }
        return .party(viewer)
    }

    /// `viewer` reading `firm`'s records at `now`, with the consent looked up in the node's committed state.
    static func decide(viewer: MemberID, firm: MemberID, node: LedgerNode, now: Timestamp) async -> ReadAccess {
        guard viewer != firm else { return .firm }
        let consent = await node.record(Consent.self, Consent.key(firm: firm, lender: viewer))
        return decide(viewer: viewer, firm: firm, consent: consent, now: now)
    }

    /// Whether every record is readable, or only those `viewer` is a party to.
    public var seesEverything: Bool {
        if case .party = self { return false }
        return true
    }

    /// Whether the reader may see a record whose parties are `parties`.
    public func allows(parties: [MemberID?]) -> Bool {
        switch self {
        case .firm, .consentedLender: return true
        case .party(let viewer): return parties.contains(viewer)
        }
    }
}
