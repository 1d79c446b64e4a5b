import FacetCore

extension LedgerErrorCode {
    /// A stock audit that names no piece attests nothing, so it is refused rather than recorded.
    public static let auditEmpty = Self(rawValue: "audit.empty")
}

/// Inventory: firms register pieces with their identity cards; labs certify, inspection centers inspect,
/// warehouses take custody, release and audit them. Every check runs before the first write.
enum InventoryContracts {
    /// A firm registers a piece it owns. A claimed certificate reserves its (lab, number) at once, so two
    /// firms can never claim the same certificate; the lab confirms it later with `certify`.
    static func register(_ body: RegisterPiece, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.firm, "registering a piece")
        try checkCard(body.card)
        let id = PieceID(context.id.hash)
        precondition(state.record(Piece.self, id.hash) == nil, "a transaction id names one piece")
        if let certificate = body.certificate {
            _ = try state.activeMember(certificate.lab, roles: .lab)
            try checkCertificateNumber(certificate.number)
            try checkUnclaimed(certificate, state)
            state.set(StateKey(.certificateIndex, certificate.indexKey), .certificateIndex(id))
        }
        let piece = Piece(
            id: id, owner: context.signer.id, card: body.card, certificate: body.certificate,
            registeredAt: context.time)
        state.put(piece, id: id.hash)
    }

    /// The lab named by the piece's claimed certificate (or any lab, for a piece that claimed none)
    /// certifies it under its number; the lab's grading replaces the firm's card.
    static func certify(_ body: CertifyPiece, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.lab, "certifying a piece")
        var piece = try activePiece(body.piece, state)
        try check(!piece.certified, .alreadyCertified, "piece \(piece.id) is already certified")
        try checkCertificateNumber(body.number)
        let certificate = CertificateRef(lab: context.signer.id, number: body.number)
        if let claimed = piece.certificate {
            try check(
                claimed == certificate, .certificateMismatch,
                "piece \(piece.id) claims certificate \(claimed.number) of lab \(claimed.lab)")
        } else {
            try checkUnclaimed(certificate, state)
        }
        try check(
            body.grading.category == piece.card.category, .invalidCard,
            "a \(piece.card.category) cannot be graded as \(body.grading.category)")
        try checkCard(body.grading)
        if piece.certificate == nil {
            state.set(StateKey(.certificateIndex, certificate.indexKey), .certificateIndex(piece.id))
            piece.certificate = certificate
        }
        piece.card = body.grading
        piece.certified = true
        state.put(piece, id: piece.id.hash)
    }

    /// An inspection center records its identity-card number and verdict. Only the latest inspection is
    /// state; earlier ones stay in the transaction log.
    static func inspect(_ body: InspectPiece, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.inspector, "inspecting a piece")
        var piece = try activePiece(body.piece, state)
        piece.inspection = Inspection(
            inspector: context.signer.id, cardNumber: body.cardNumber,
            passed: body.passed, at: context.time)
        state.put(piece, id: piece.id.hash)
    }

    /// A warehouse takes custody of a piece. A pledged piece cannot move, so it cannot enter a warehouse
    /// either. A piece on an unconfirmed invoice may: custody changes where it is, not who owns it, and
    /// goods awaiting delivery are commonly held in a (bonded) warehouse.
    static func custodyIn(_ body: CustodyIn, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.warehouse, "taking custody of a piece")
        var piece = try activePiece(body.piece, state)
        try check(piece.custody == nil, .inCustody, "piece \(piece.id) is already in a warehouse's custody")
        try check(piece.pledgedTo == nil, .piecePledged, "piece \(piece.id) is pledged and cannot move")
        piece.custody = Custody(warehouse: context.signer.id, bonded: body.bonded, since: context.time)
        state.put(piece, id: piece.id.hash)
    }

    /// The custodian releases a piece. Pledged stock stays in the warehouse until the pledge is released,
    /// which is what makes warehouse-held collateral worth lending against. A sold piece may still leave.
    static func custodyOut(_ body: CustodyOut, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.warehouse, "releasing a piece from custody")
        var piece = try state.piece(body.piece)
        try check(
            piece.custody?.warehouse == context.signer.id, .notCustodian,
            "piece \(piece.id) is not in the custody of \(context.signer.id)")
        try check(piece.pledgedTo == nil, .piecePledged, "piece \(piece.id) is pledged and stays in custody")
        piece.custody = nil
        state.put(piece, id: piece.id.hash)
    }

    /// A warehouse attests that it holds these pieces of `firm` today. The firm needs no particular role:
    /// whoever owns the stock (a firm, or a lender after a default) may have it audited. Pieces are
    /// visited in ascending id order and duplicates once, exactly as the canonical encoding carries them,
    /// so an in-memory body and its decoded bytes give the same outcome and the same first refusal.
    static func audit(_ body: StockAudit, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.warehouse, "auditing stock")
        _ = try state.activeMember(body.firm)
        let ids = Array(Set(body.pieces)).sorted()
        try check(!ids.isEmpty, .auditEmpty, "an audit names at least one piece")
        var pieces = [Piece]()
        for id in ids {
            var piece = try activePiece(id, state)
            try check(piece.owner == body.firm, .notOwner, "piece \(piece.id) is not owned by \(body.firm)")
            try check(
                piece.custody?.warehouse == context.signer.id, .notCustodian,
                "piece \(piece.id) is not in the custody of \(context.signer.id)")
            piece.lastAudit = context.time
            pieces.append(piece)
        }
        for piece in pieces { state.put(piece, id: piece.id.hash) }
    }

    // MARK: - Rules shared by the contracts

    /// An existing piece still in its owner's stock (not sold).
    private static func activePiece(_ id: PieceID, _ state: StateView) throws(LedgerError) -> Piece {
        let piece = try state.piece(id)
        try check(piece.status == .active, .pieceNotActive, "piece \(id) is \(piece.status)")
        return piece
    }

    /// The identity card's sanity rules, the same for a firm's card and a lab's grading:
    /// - metals (gold, platinum) must state a fineness and carry no color, clarity or cut grade;
    /// - every other category (diamonds, colored stones, jadeite, pearls, crystal) has no fineness and may
    ///   carry any of color, clarity and cut, each optional: an ungraded parcel is still a piece, and jadeite
    ///   in particular is graded by trade convention (color, translucency in `clarity`, form in `cut`)
    ///   rather than by a fixed scale;
    /// - the weight lies within 1...`Limits.maxWeight` (the decoder's rule, repeated for in-memory bodies).
    private static func checkCard(_ card: IdentityCard) throws(LedgerError) {
        try check(
            card.weight > 0 && card.weight <= Limits.maxWeight, .invalidCard,
            "a weight is between 1 and \(Limits.maxWeight)")
        guard card.category.isMetal else {
            try check(card.fineness == nil, .invalidCard, "only a metal has a fineness, not a \(card.category)")
            return
        }
        guard let fineness = card.fineness else {
            throw LedgerError(.invalidCard, "a \(card.category) card states its fineness")
        }
        try check(fineness >= 1 && fineness <= 1000, .invalidCard, "fineness is 1 to 1000 parts per thousand")
        try check(
            card.color == nil && card.clarity == nil && card.cut == nil, .invalidCard,
            "a \(card.category) card has no color, clarity or cut grade")
    }

    /// Certificate numbers are kept in one canonical form (uppercase letters, digits, '-', '/', '.') so that
    /// "gia-1" and "GIA-1" cannot both be registered as different certificates.
    private static func checkCertificateNumber(_ number: Label) throws(LedgerError) {
        let allowed = number.value.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d || byte == 0x2f
                || byte == 0x2e
        }
        try check(allowed, .invalidCard, "certificate number \(number) is not in uppercase A-Z, 0-9, '-', '/', '.'")
    }

    /// A lab's certificate number belongs to one piece only.
    private static func checkUnclaimed(_ certificate: CertificateRef, _ state: StateView) throws(LedgerError) {
        try check(
            state[StateKey(.certificateIndex, certificate.indexKey)] == nil, .certificateExists,
            "certificate \(certificate.number) of lab \(certificate.lab) is already registered")
    }
}
