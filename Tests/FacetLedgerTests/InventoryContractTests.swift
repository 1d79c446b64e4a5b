import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

// MARK: - Setup helpers

private func label(_ text: String) -> Label {
    guard let label = try? Label(text) else { preconditionFailure("\(text) is not a label") }
    return label
}

private func digest(_ text: String) -> Hash256 { SHA256Hash.digest(Array(text.utf8)) }

private let goldBar = IdentityCard(category: .gold, weight: 50_000, fineness: 999, description: "50 g bar")
private let diamond = IdentityCard(
    category: .naturalDiamond, weight: 1_010, color: label("G"),
    clarity: label("VS2"), cut: label("VG"))
private let graded = IdentityCard(
    category: .naturalDiamond, weight: 1_008, color: label("F"),
    clarity: label("VS1"), cut: label("EX"))

extension LedgerFixture {
    /// Registers a piece (expecting acceptance) and returns its id.
    fileprivate mutating func register(
        _ firm: String = "firmA", _ card: IdentityCard,
        certificate: CertificateRef? = nil
    ) -> PieceID {
        let tx = sign(firm, .registerPiece(.init(card: card, certificate: certificate)))
        let result = run([tx]).results[0]
        precondition(result.accepted, "setup registration refused: \(String(describing: result.error))")
        return PieceID(tx.id.hash)
    }

    /// A piece of `firm` placed in `warehouse`'s custody.
    fileprivate mutating func stored(_ firm: String = "firmA", in warehouse: String = "warehouse") -> PieceID {
        let id = register(firm, goldBar)
        precondition(submit(warehouse, .custodyIn(.init(piece: id, bonded: true))).accepted)
        return id
    }

    /// Injects a piece in a state no inventory contract produces (sold, pledged, on an invoice).
    fileprivate mutating func injectPiece(
        _ name: String, owner: String = "firmA",
        _ adjust: (inout Piece) -> Void
    ) -> PieceID {
        let id = PieceID(digest(name))
        var piece = Piece(id: id, owner: self.id(owner), card: goldBar, certificate: nil, registeredAt: time)
        adjust(&piece)
        inject(piece, id: id.hash)
        return id
    }

    fileprivate func piece(_ id: PieceID) -> Piece? { state.record(Piece.self, id.hash) }

    fileprivate func indexed(_ certificate: CertificateRef) -> StateValue? {
        state[StateKey(.certificateIndex, certificate.indexKey)]
    }

    fileprivate func certificate(_ lab: String, _ number: String) -> CertificateRef {
        CertificateRef(lab: id(lab), number: label(number))
    }
}

// MARK: - Register

@Suite struct InventoryRegisterTests {
    @Test func aFirmRegistersAPieceItOwns() {
        var f = LedgerFixture()
        let id = f.register("firmA", goldBar)
        let piece = f.piece(id)
        #expect(piece?.owner == f.id("firmA"))
        #expect(piece?.card == goldBar)
        #expect(piece?.registeredAt == f.time)
        #expect(piece?.status == .active)
        #expect(piece?.certified == false && piece?.certificate == nil && piece?.custody == nil)
    }

    @Test func aClaimedCertificateIsReservedForThePiece() {
        var f = LedgerFixture()
        let claim = f.certificate("lab", "GIA-2141.438/7")
        let id = f.register("firmA", diamond, certificate: claim)
        #expect(f.piece(id)?.certificate == claim)
        #expect(f.piece(id)?.certified == false)
        #expect(f.indexed(claim) == .certificateIndex(id))
        // The same number at another lab is another certificate.
        let other = f.certificate("lab2", "GIA-2141.438/7")
        let second = f.register("firmB", diamond, certificate: other)
        #expect(f.indexed(other) == .certificateIndex(second))
    }

    @Test func jadeiteMayCarryGradesOrNone() {
        var f = LedgerFixture()
        let bangle = IdentityCard(
            category: .jadeite, weight: 62_000, color: label("IMPERIAL-GREEN"),
            clarity: label("ICY"), cut: label("BANGLE"))
        let rough = IdentityCard(category: .jadeite, weight: 900_000)
        let carved = f.register("firmA", bangle)
        let boulder = f.register("firmA", rough)
        #expect(f.piece(carved)?.card == bangle)
        #expect(f.piece(boulder)?.card == rough)
    }

    @Test func onlyFirmsRegister() {
        var f = LedgerFixture()
        let r = f.refusal("lab", .registerPiece(.init(card: goldBar, certificate: nil)))
        #expect(r.code == .missingRole && r.unchanged)
    }

    @Test(arguments: [
        IdentityCard(category: .gold, weight: 1_000),
        IdentityCard(category: .platinum, weight: 1_000, color: label("WHITE"), fineness: 950),
        IdentityCard(category: .gold, weight: 1_000, clarity: label("X"), fineness: 999),
        IdentityCard(category: .gold, weight: 1_000, cut: label("BAR"), fineness: 999),
        IdentityCard(category: .gold, weight: 1_000, fineness: 1_001),
        IdentityCard(category: .naturalDiamond, weight: 500, color: label("D"), fineness: 999),
        IdentityCard(category: .jadeite, weight: 500, fineness: 1),
        IdentityCard(category: .pearl, weight: 500, fineness: 750),
        IdentityCard(category: .labGrownDiamond, weight: 0),
    ])
    func insaneCardsAreRefused(card: IdentityCard) {
        var f = LedgerFixture()
        let r = f.refusal("firmA", .registerPiece(.init(card: card, certificate: nil)))
        #expect(r.code == .invalidCard && r.unchanged)
    }

    @Test func theClaimedLabMustBeAnActiveLab() {
        var f = LedgerFixture()
        let unknown = CertificateRef(lab: MemberID(digest("no such lab")), number: label("A1"))
        var r = f.refusal("firmA", .registerPiece(.init(card: diamond, certificate: unknown)))
        #expect(r.code == .unknownMember && r.unchanged)
        r = f.refusal("firmA", .registerPiece(.init(card: diamond, certificate: f.certificate("firmB", "A1"))))
        #expect(r.code == .missingRole && r.unchanged)
        #expect(f.submit("admin", .suspendMember(.init(member: f.id("lab"), reason: "licence lapsed"))).accepted)
        r = f.refusal("firmA", .registerPiece(.init(card: diamond, certificate: f.certificate("lab", "A1"))))
        #expect(r.code == .memberNotActive && r.unchanged)
    }

    @Test(arguments: ["gia-123", "GIA_123", "GIA#1", "Gia123"])
    func certificateNumbersAreUppercase(number: String) {
        var f = LedgerFixture()
        let r = f.refusal("firmA", .registerPiece(.init(card: diamond, certificate: f.certificate("lab", number))))
        #expect(r.code == .invalidCard && r.unchanged)
    }

    @Test func aCertificateIsRegisteredOnce() {
        var f = LedgerFixture()
        let claim = f.certificate("lab", "7391")
        let first = f.register("firmA", diamond, certificate: claim)
        let r = f.refusal("firmB", .registerPiece(.init(card: diamond, certificate: claim)))
        #expect(r.code == .certificateExists && r.unchanged)
        #expect(f.indexed(claim) == .certificateIndex(first))
    }
}

// MARK: - Certify

@Suite struct InventoryCertifyTests {
    @Test func theClaimedLabCertifiesAndItsGradingReplacesTheCard() {
        var f = LedgerFixture()
        let claim = f.certificate("lab", "7391")
        let id = f.register("firmA", diamond, certificate: claim)
        #expect(f.submit("lab", .certifyPiece(.init(piece: id, number: label("7391"), grading: graded))).accepted)
        let piece = f.piece(id)
        #expect(piece?.certified == true)
        #expect(piece?.card == graded)
        #expect(piece?.certificate == claim)
        #expect(f.indexed(claim) == .certificateIndex(id))
    }

    @Test func aPieceWithoutAClaimTakesTheLabsNumber() {
        var f = LedgerFixture()
        let id = f.register("firmA", diamond)
        #expect(f.submit("lab2", .certifyPiece(.init(piece: id, number: label("NGTC-88"), grading: graded))).accepted)
        let expected = f.certificate("lab2", "NGTC-88")
        #expect(f.piece(id)?.certificate == expected)
        #expect(f.piece(id)?.certified == true && f.piece(id)?.card == graded)
        #expect(f.indexed(expected) == .certificateIndex(id))
    }

    @Test func certificationRefusals() {
        var f = LedgerFixture()
        let id = f.register("firmA", diamond, certificate: f.certificate("lab", "7391"))
        let good = CertifyPiece(piece: id, number: label("7391"), grading: graded)
        var r = f.refusal("firmA", .certifyPiece(good))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal(
            "lab",
            .certifyPiece(
                .init(
                    piece: PieceID(digest("none")), number: label("7391"),
                    grading: graded)))
        #expect(r.code == .unknownPiece && r.unchanged)
        let sold = f.injectPiece("sold") {
            $0.card = diamond; $0.status = .sold
        }
        r = f.refusal("lab", .certifyPiece(.init(piece: sold, number: label("5"), grading: graded)))
        #expect(r.code == .pieceNotActive && r.unchanged)
        r = f.refusal("lab2", .certifyPiece(good))
        #expect(r.code == .certificateMismatch && r.unchanged)
        r = f.refusal("lab", .certifyPiece(.init(piece: id, number: label("7392"), grading: graded)))
        #expect(r.code == .certificateMismatch && r.unchanged)
        r = f.refusal("lab", .certifyPiece(.init(piece: id, number: label("gia-7391"), grading: graded)))
        #expect(r.code == .invalidCard && r.unchanged)
        #expect(f.submit("lab", .certifyPiece(good)).accepted)
        r = f.refusal("lab", .certifyPiece(good))
        #expect(r.code == .alreadyCertified && r.unchanged)
    }

    @Test func anUnclaimedPieceCannotTakeANumberAlreadyInUse() {
        var f = LedgerFixture()
        let first = f.register("firmA", diamond, certificate: f.certificate("lab", "7391"))
        let second = f.register("firmB", diamond)
        let r = f.refusal("lab", .certifyPiece(.init(piece: second, number: label("7391"), grading: graded)))
        #expect(r.code == .certificateExists && r.unchanged)
        #expect(f.indexed(f.certificate("lab", "7391")) == .certificateIndex(first))
        #expect(f.piece(second)?.certificate == nil)
    }

    @Test func theGradingMustFitThePiece() {
        var f = LedgerFixture()
        let id = f.register("firmA", diamond)
        let labGrown = IdentityCard(category: .labGrownDiamond, weight: 1_008, color: label("F"))
        var r = f.refusal("lab", .certifyPiece(.init(piece: id, number: label("1"), grading: labGrown)))
        #expect(r.code == .invalidCard && r.unchanged)
        let withFineness = IdentityCard(category: .naturalDiamond, weight: 1_008, fineness: 999)
        r = f.refusal("lab", .certifyPiece(.init(piece: id, number: label("1"), grading: withFineness)))
        #expect(r.code == .invalidCard && r.unchanged)
        #expect(f.piece(id)?.certified == false)
        #expect(f.indexed(f.certificate("lab", "1")) == nil)
    }
}

// MARK: - Inspect

@Suite struct InventoryInspectTests {
    @Test func anInspectionIsRecordedAndAReinspectionReplacesIt() {
        var f = LedgerFixture()
        let id = f.register("firmA", goldBar)
        #expect(
            f.submit(
                "inspector",
                .inspectPiece(
                    .init(
                        piece: id, cardNumber: label("SZ-0001"), passed: false,
                        notes: "fineness below stamp"))
            ).accepted)
        let first = f.time
        #expect(
            f.piece(id)?.inspection
                == Inspection(
                    inspector: f.id("inspector"), cardNumber: label("SZ-0001"),
                    passed: false, at: first))
        f.advance(days: 3)
        #expect(
            f.submit(
                "inspector",
                .inspectPiece(
                    .init(
                        piece: id, cardNumber: label("SZ-0002"), passed: true,
                        notes: ""))
            ).accepted)
        #expect(f.time > first)
        #expect(
            f.piece(id)?.inspection
                == Inspection(
                    inspector: f.id("inspector"), cardNumber: label("SZ-0002"),
                    passed: true, at: f.time))
    }

    @Test func inspectionRefusals() {
        var f = LedgerFixture()
        let id = f.register("firmA", goldBar)
        var r = f.refusal("lab", .inspectPiece(.init(piece: id, cardNumber: label("C1"), passed: true, notes: "")))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal(
            "inspector",
            .inspectPiece(
                .init(
                    piece: PieceID(digest("none")), cardNumber: label("C1"),
                    passed: true, notes: "")))
        #expect(r.code == .unknownPiece && r.unchanged)
        let sold = f.injectPiece("sold") { $0.status = .sold }
        r = f.refusal("inspector", .inspectPiece(.init(piece: sold, cardNumber: label("C1"), passed: true, notes: "")))
        #expect(r.code == .pieceNotActive && r.unchanged)
    }
}

// MARK: - Custody

@Suite struct InventoryCustodyTests {
    @Test func aWarehouseTakesCustody() {
        var f = LedgerFixture()
        let id = f.register("firmA", goldBar)
        #expect(f.submit("warehouse", .custodyIn(.init(piece: id, bonded: true))).accepted)
        #expect(f.piece(id)?.custody == Custody(warehouse: f.id("warehouse"), bonded: true, since: f.time))
    }

    @Test func aPieceOnAnUnconfirmedInvoiceMayEnterAWarehouse() {
        var f = LedgerFixture()
        let id = f.injectPiece("on invoice") { $0.onInvoice = InvoiceID(digest("invoice")) }
        #expect(f.submit("warehouse", .custodyIn(.init(piece: id, bonded: false))).accepted)
        #expect(f.piece(id)?.custody == Custody(warehouse: f.id("warehouse"), bonded: false, since: f.time))
        #expect(f.piece(id)?.onInvoice == InvoiceID(digest("invoice")))
    }

    @Test func custodyInRefusals() {
        var f = LedgerFixture()
        let id = f.stored()
        var r = f.refusal("firmA", .custodyIn(.init(piece: id, bonded: true)))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("warehouse", .custodyIn(.init(piece: PieceID(digest("none")), bonded: true)))
        #expect(r.code == .unknownPiece && r.unchanged)
        let sold = f.injectPiece("sold") { $0.status = .sold }
        r = f.refusal("warehouse", .custodyIn(.init(piece: sold, bonded: true)))
        #expect(r.code == .pieceNotActive && r.unchanged)
        r = f.refusal("warehouse2", .custodyIn(.init(piece: id, bonded: true)))
        #expect(r.code == .inCustody && r.unchanged)
        r = f.refusal("warehouse", .custodyIn(.init(piece: id, bonded: false)))
        #expect(r.code == .inCustody && r.unchanged)
        let pledged = f.injectPiece("pledged") { $0.pledgedTo = LoanID(digest("loan")) }
        r = f.refusal("warehouse", .custodyIn(.init(piece: pledged, bonded: true)))
        #expect(r.code == .piecePledged && r.unchanged)
    }

    @Test func theCustodianReleasesAndAnotherWarehouseMayTakeIt() {
        var f = LedgerFixture()
        let id = f.stored(in: "warehouse")
        #expect(f.submit("warehouse", .custodyOut(.init(piece: id))).accepted)
        #expect(f.piece(id) != nil && f.piece(id)?.custody == nil)
        #expect(f.submit("warehouse2", .custodyIn(.init(piece: id, bonded: false))).accepted)
        #expect(f.piece(id)?.custody?.warehouse == f.id("warehouse2"))
    }

    @Test func custodyOutRefusals() {
        var f = LedgerFixture()
        let id = f.stored(in: "warehouse")
        var r = f.refusal("firmA", .custodyOut(.init(piece: id)))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("warehouse", .custodyOut(.init(piece: PieceID(digest("none")))))
        #expect(r.code == .unknownPiece && r.unchanged)
        r = f.refusal("warehouse2", .custodyOut(.init(piece: id)))
        #expect(r.code == .notCustodian && r.unchanged)
        let free = f.register("firmA", goldBar)
        r = f.refusal("warehouse", .custodyOut(.init(piece: free)))
        #expect(r.code == .notCustodian && r.unchanged)
        let custody = Custody(warehouse: f.id("warehouse"), bonded: true, since: f.time)
        let pledged = f.injectPiece("pledged") { piece in
            piece.custody = custody
            piece.pledgedTo = LoanID(digest("loan"))
        }
        r = f.refusal("warehouse", .custodyOut(.init(piece: pledged)))
        #expect(r.code == .piecePledged && r.unchanged)
        #expect(f.piece(pledged)?.custody?.warehouse == f.id("warehouse"))
    }
}

// MARK: - Audit

@Suite struct InventoryAuditTests {
    @Test func aWarehouseAuditsAFirmsStock() {
        var f = LedgerFixture()
        let a = f.stored("firmA")
        let b = f.stored("firmA")
        let untouched = f.stored("firmA")
        #expect(f.submit("warehouse", .stockAudit(.init(firm: f.id("firmA"), pieces: [b, a]))).accepted)
        #expect(f.piece(a)?.lastAudit == f.time)
        #expect(f.piece(b)?.lastAudit == f.time)
        #expect(f.piece(untouched)?.lastAudit == nil)
    }

    @Test func aDuplicatedPieceIsAuditedOnceLikeItsEncoding() {
        var f = LedgerFixture()
        let a = f.stored("firmA")
        let body = StockAudit(firm: f.id("firmA"), pieces: [a, a])
        #expect(body.canonicalBytes == StockAudit(firm: f.id("firmA"), pieces: [a]).canonicalBytes)
        #expect(f.submit("warehouse", .stockAudit(body)).accepted)
        #expect(f.piece(a)?.lastAudit == f.time)
    }

    @Test func auditRefusalsAboutTheSignerAndTheFirm() {
        var f = LedgerFixture()
        let a = f.stored("firmA")
        var r = f.refusal("firmA", .stockAudit(.init(firm: f.id("firmA"), pieces: [a])))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("warehouse", .stockAudit(.init(firm: MemberID(digest("nobody")), pieces: [a])))
        #expect(r.code == .unknownMember && r.unchanged)
        r = f.refusal("warehouse", .stockAudit(.init(firm: f.id("firmA"), pieces: [])))
        #expect(r.code == .auditEmpty && r.unchanged)
        #expect(f.submit("admin", .suspendMember(.init(member: f.id("firmA"), reason: "audit"))).accepted)
        r = f.refusal("warehouse", .stockAudit(.init(firm: f.id("firmA"), pieces: [a])))
        #expect(r.code == .memberNotActive && r.unchanged)
    }

    @Test func auditRefusalsAboutThePieces() {
        var f = LedgerFixture()
        let good = f.stored("firmA")
        let firm = f.id("firmA")
        var r = f.refusal("warehouse", .stockAudit(.init(firm: firm, pieces: [good, PieceID(digest("none"))])))
        #expect(r.code == .unknownPiece && r.unchanged)
        let others = f.stored("firmB")
        r = f.refusal("warehouse", .stockAudit(.init(firm: firm, pieces: [good, others])))
        #expect(r.code == .notOwner && r.unchanged)
        let atHome = f.register("firmA", goldBar)
        r = f.refusal("warehouse", .stockAudit(.init(firm: firm, pieces: [good, atHome])))
        #expect(r.code == .notCustodian && r.unchanged)
        let elsewhere = f.stored("firmA", in: "warehouse2")
        r = f.refusal("warehouse", .stockAudit(.init(firm: firm, pieces: [good, elsewhere])))
        #expect(r.code == .notCustodian && r.unchanged)
        let custody = Custody(warehouse: f.id("warehouse"), bonded: true, since: f.time)
        let sold = f.injectPiece("sold") { piece in
            piece.custody = custody
            piece.status = .sold
        }
        r = f.refusal("warehouse", .stockAudit(.init(firm: firm, pieces: [good, sold])))
        #expect(r.code == .pieceNotActive && r.unchanged)
        #expect(f.piece(good)?.lastAudit == nil)
    }
}
