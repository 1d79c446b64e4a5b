import FacetCore
import FacetLedger

/// Chains that proof tests and the golden bundle in `contracts/vectors/` share.
extension ChainFixture {
    /// What `auditTrail()` committed, by name.
    public struct AuditTrail: Sendable {
        public var chain: ChainFixture
        /// Block 2: firmA registers a GIA-certified diamond (signed by the genesis validators).
        public var piece: TransactionID
        /// Block 3: the genesis validators approve replacing v1 by v5, effective at block 13.
        public var validatorChange: TransactionID
        /// Block 13, the first signed by the new set: firmA invoices firmB for the diamond.
        public var invoice: TransactionID
    }

    /// A short history an auditor might be asked about: a validator joins, the set changes (announced by block 12,
    /// in force from block 13), and a diamond is registered before and sold after the change. Blocks 1 to 3 and 13
    /// also carry a refused transaction, which the log must leave out.
    public static func auditTrail() -> AuditTrail {
        var chain = ChainFixture()
        let v5 = chain.addOutsider("v5", roles: .validator)
        chain.commit([
            chain.sign("admin", .registerMember(.init(name: "v5", roles: .validator, publicKey: v5.key.publicKey))),
            chain.sign(
                "firmA", .publishPrice(.init(category: .gold, band: label("AU9999"), pricePerUnit: cny(58_012)))),
        ])
        let diamond = IdentityCard(
            category: .naturalDiamond, weight: 1_010, color: label("D"), clarity: label("VS1"), cut: label("EX"),
            fineness: nil, description: "圆钻 round brilliant")
        let piece = chain.sign(
            "firmA",
            .registerPiece(
                .init(card: diamond, certificate: CertificateRef(lab: chain.id("lab"), number: label("GIA-2141438167")))
            ))
        chain.commit([
            piece,
            chain.sign(
                "exchange",
                .publishPrice(.init(category: .gold, band: label("AU9999-PER-G"), pricePerUnit: cny(58_012)))),
            chain.sign("firmB", .grantConsent(.init(lender: chain.id("lender"), expiresAt: nil))),
            chain.sign("firmB", .approveMember(.init(member: v5.id))),
        ])
        let change = chain.changeValidators(to: ["v2", "v3", "v4", "v5"])
        chain.commit([change, chain.sign("firmC", .custodyIn(.init(piece: PieceID(piece.id.hash), bonded: true)))])
        let effective = change.body.effectiveHeight
        chain.commitEmptyBlocks(until: effective - 1)
        let invoice = chain.sign(
            "firmA",
            .issueInvoice(
                .init(
                    buyer: chain.id("firmB"), amount: cny(12_800_000), dueAt: chain.ledger.time.adding(days: 30),
                    pieces: [PieceID(piece.id.hash)], channel: .wholesale)))
        chain.commit([invoice, chain.sign("firmB", .confirmInvoice(.init(invoice: InvoiceID(piece.id.hash))))])
        precondition(chain.accepted.contains(invoice.id), "the scenario's invoice was refused")
        return AuditTrail(chain: chain, piece: piece.id, validatorChange: change.id, invoice: invoice.id)
    }

    private static func label(_ text: String) -> Label {
        guard let label = try? Label(text) else { preconditionFailure("\(text) is not a label") }
        return label
    }

    private static func cny(_ fen: Int64) -> Money {
        guard let money = try? Money(minorUnits: fen, currency: .cny) else { preconditionFailure("bad amount") }
        return money
    }
}

extension TransactionBody {
    /// The effective height of a `change_validators` body.
    fileprivate var effectiveHeight: UInt64 {
        guard case .changeValidators(let change) = self else { preconditionFailure("not a validator change") }
        return change.effectiveHeight
    }
}
