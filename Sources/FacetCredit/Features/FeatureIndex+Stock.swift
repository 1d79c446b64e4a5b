import FacetCore
import FacetLedger

/// Inventory, reference prices and membership.
extension FeatureIndex {
    mutating func registerPiece(_ body: RegisterPiece, id: Hash256, owner: MemberID) {
        let piece = PieceID(id)
        pieces[piece] = TrackedPiece(owner: owner, category: body.card.category, weight: body.card.weight)
        firms[owner, default: FirmState(limit: settings.evidenceLimit)].pieces.insert(piece)
    }

    /// A piece leaves its seller's stock: counted as sold at its reference value in the month of sale.
    mutating func sell(_ id: PieceID, by seller: MemberID, time: Timestamp) {
        guard let piece = pieces[id] else { return }
        firms[seller]?.pieces.remove(id)
        let value = referenceValue(piece)
        update(seller, month: FeatureIndex.month(of: time)) { $0.stockSold += value }
    }

    /// A confirmed invoice's piece joins the buyer's stock where it lies.
    mutating func transfer(_ id: PieceID, to buyer: MemberID) {
        guard pieces[id] != nil else { return }
        pieces[id]?.owner = buyer
        firms[buyer, default: FirmState(limit: settings.evidenceLimit)].pieces.insert(id)
    }

    mutating func setPledged(_ collateral: Collateral, _ pledged: Bool) {
        if case .piece(let id) = collateral { pieces[id]?.pledged = pledged }
    }

    mutating func publishPrice(_ body: PublishPrice, publisher: MemberID) {
        guard let price = major(body.pricePerUnit), let time else { return }
        prices[body.category, default: [:]][body.band] = price
        priceBook[PriceBand(category: body.category, band: body.band, publisher: publisher), default: PriceTrack()]
            .publish(body.pricePerUnit.minorUnits, at: time, month: FeatureIndex.month(of: time))
    }

    /// A piece at its category's reference price: the lowest of the category's bands (the ledger does not map a
    /// card to a band, so the conservative band stands for all). Weights are in thousandths of a carat or gram.
    func referenceValue(_ piece: TrackedPiece) -> Double {
        guard let bands = prices[piece.category], let price = bands.keys.sorted().map({ bands[$0] ?? 0 }).min() else {
            return 0
        }
        return Double(piece.weight) / 1000 * price
    }

    mutating func registerMember(_ body: RegisterMember, time: Timestamp) {
        let id = MemberID(initialKey: body.publicKey)
        let active = memberApprovals <= 1
        members[id] = TrackedMember(roles: body.roles, approvals: 1, since: active ? time : nil)
    }

    mutating func approveMember(_ id: MemberID, time: Timestamp) {
        guard var member = members[id] else { return }
        member.approvals += 1
        if member.since == nil && member.approvals >= memberApprovals { member.since = time }
        members[id] = member
    }
}
