import FacetCore
import FacetLedger

/// Random but well-formed values of every transaction kind, for decoder robustness and round-trip tests.
/// They need not be acceptable to the contracts; `TransactionGenerator` makes those.
public struct RandomBodies {
    public var rng: SeededRandom

    public init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
    }

    public static let kindCount = 32

    public mutating func hash() -> Hash256 { Hash256(bytes: rng.bytes(32)) }
    public mutating func member() -> MemberID { MemberID(hash()) }
    public mutating func piece() -> PieceID { PieceID(hash()) }
    public mutating func int<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> T { T.random(in: range, using: &rng) }
    public mutating func flip() -> Bool { Bool.random(using: &rng) }

    public mutating func text() -> String {
        let words = ["", "Panyu", "番禺钻石", "足金", "翡翠 jadeite", "VVS1 round", "退货 refund", "直播 livestream"]
        return words[int(0...words.count - 1)]
    }

    public mutating func label() -> Label {
        let labels = ["D", "VS1", "EX", "GIA-2141438167", "NGTC-88/1", "1.00-1.49ct/D-F/VS", "Au999"]
        guard let label = try? Label(labels[int(0...labels.count - 1)]) else { preconditionFailure() }
        return label
    }

    public mutating func time() -> Timestamp {
        Timestamp(uncheckedMillis: int(1_700_000_000_000...1_900_000_000_000))
    }

    public mutating func money() -> Money {
        let currency = [Currency.cny, .usd, .hkd][int(0...2)]
        guard let value = try? Money(minorUnits: int(-1_000_000...Limits.maxAmountMinorUnits), currency: currency)
        else { preconditionFailure() }
        return value
    }

    public mutating func signature() -> Signature { Signature(r: hash(), s: hash()) }
    public mutating func key() -> PublicKey { PublicKey(raw: hash()) }
    public mutating func optional<T>(_ make: (inout RandomBodies) -> T) -> T? { flip() ? make(&self) : nil }

    public mutating func card() -> IdentityCard {
        let category = PieceCategory.allCases[int(0...PieceCategory.allCases.count - 1)]
        return IdentityCard(
            category: category, weight: int(1...Limits.maxWeight), color: optional { $0.label() },
            clarity: optional { $0.label() }, cut: optional { $0.label() },
            fineness: optional { $0.int(1...1000) }, description: text())
    }

    public mutating func collateral() -> Collateral { flip() ? .piece(piece()) : .invoice(InvoiceID(hash())) }

    public mutating func validatorSet() -> ValidatorSet {
        ValidatorSet((0..<int(1...5)).map { _ in Validator(member: member(), publicKey: key()) })
    }

    /// A body of kind number `index` (0..<kindCount).
    public mutating func body(_ index: Int) -> TransactionBody {
        switch index {
        case 0: return .registerMember(.init(name: text(), roles: Roles(rawValue: int(0...4095)), publicKey: key()))
        case 1: return .approveMember(.init(member: member()))
        case 2: return .rotateKey(.init(newKey: key(), proof: signature()))
        case 3: return .suspendMember(.init(member: member(), reason: text()))
        case 4: return .reinstateMember(.init(member: member()))
        case 5:
            return .changeValidators(
                .init(
                    validators: validatorSet(), effectiveHeight: int(0...UInt64.max),
                    approvals: (0..<int(0...3)).map { _ in
                        ValidatorApproval(validator: member(), signature: signature())
                    }))
        case 6:
            return .registerPiece(
                .init(
                    card: card(),
                    certificate: optional {
                        CertificateRef(lab: $0.member(), number: $0.label())
                    }))
        case 7: return .certifyPiece(.init(piece: piece(), number: label(), grading: card()))
        case 8: return .inspectPiece(.init(piece: piece(), cardNumber: label(), passed: flip(), notes: text()))
        case 9: return .custodyIn(.init(piece: piece(), bonded: flip()))
        case 10: return .custodyOut(.init(piece: piece()))
        case 11: return .stockAudit(.init(firm: member(), pieces: (0..<int(0...5)).map { _ in piece() }))
        case 12:
            return .issueInvoice(
                .init(
                    buyer: optional { $0.member() }, amount: money(), dueAt: time(),
                    pieces: (0..<int(0...4)).map { _ in piece() },
                    channel: SalesChannel.allCases[int(0...3)]))
        case 13: return .confirmInvoice(.init(invoice: InvoiceID(hash())))
        case 14: return .payInvoice(.init(invoice: InvoiceID(hash()), amount: money()))
        case 15: return .raiseDispute(.init(invoice: InvoiceID(hash()), reason: text()))
        case 16:
            let outcomes: [DisputeOutcome] = [.dismissed, .adjusted(money()), .cancelled]
            return .resolveDispute(.init(dispute: DisputeID(hash()), outcome: outcomes[int(0...2)], note: text()))
        case 17:
            return .settlePlatformSales(
                .init(
                    seller: member(), periodStart: time(), periodEnd: time(),
                    gross: money(), orders: int(0...UInt32.max), refunds: money()))
        case 18:
            return .publishPrice(
                .init(
                    category: PieceCategory.allCases[int(0...7)], band: label(),
                    pricePerUnit: money()))
        case 19: return .grantConsent(.init(lender: member(), expiresAt: optional { $0.time() }))
        case 20: return .revokeConsent(.init(lender: member()))
        case 21:
            return .makeOffer(
                .init(
                    firm: member(), product: Product.allCases[int(0...3)], principal: money(),
                    rateBasisPoints: int(0...UInt32.max), termDays: int(0...UInt32.max),
                    modelHash: hash(), ledgerHeight: int(0...UInt64.max), expiresAt: time(),
                    collateral: (0..<int(0...3)).map { _ in collateral() }))
        case 22: return .acceptOffer(.init(offer: OfferID(hash())))
        case 23: return .pledge(.init(loan: LoanID(hash()), collateral: collateral()))
        case 24: return .repay(.init(loan: LoanID(hash()), amount: money()))
        case 25: return .declareDefault(.init(loan: LoanID(hash())))
        case 26: return .release(.init(loan: LoanID(hash()), collateral: collateral()))
        case 27:
            return .guarantee(.init(loan: LoanID(hash()), coverageBasisPoints: int(0...UInt32.max), fee: money()))
        case 28: return .registerModel(.init(modelHash: hash(), name: label()))
        case 30: return .confirmRepayment(.init(claim: TransactionID(hash())))
        case 31: return .rotateValidatorKey(.init(newKey: key(), proof: signature()))
        default: return .reportEvidence(.init(misbehavior: misbehavior()))
        }
    }

    /// Two conflicting messages of one random validator: well-formed, in canonical order, signatures random.
    public mutating func misbehavior() -> Misbehavior {
        let validator = member()
        let (height, round) = (int(0...UInt64.max), int(0...UInt32.max))
        if flip() {
            let kind: VoteKind = flip() ? .prevote : .precommit
            let a = Vote(
                kind: kind, height: height, round: round, blockID: hash(), validator: validator,
                signature: signature())
            let b = Vote(
                kind: kind, height: height, round: round, blockID: optional { $0.hash() }, validator: validator,
                signature: signature())
            guard let pair = Misbehavior.votes(a, b) else { preconditionFailure("random block ids collide") }
            return pair
        }
        let validRound = round > 0 ? optional { $0.int(0...round - 1) } : nil
        let a = Proposal(
            height: height, round: round, validRound: validRound, blockID: hash(), proposer: validator,
            signature: signature())
        let b = Proposal(
            height: height, round: round, validRound: nil, blockID: hash(), proposer: validator,
            signature: signature())
        guard let pair = Misbehavior.proposals(a, b) else { preconditionFailure("random block ids collide") }
        return pair
    }

    /// A signed transaction around a random body (signed by a random key: the signature is well-formed).
    public mutating func transaction(_ index: Int) -> Transaction {
        let seed = rng.bytes(32)
        guard let key = try? SigningKey(seed: seed), let chain = try? Label("facet-fuzz") else { preconditionFailure() }
        return Transaction.signed(
            chainID: chain, signer: MemberID(initialKey: key.publicKey),
            nonce: int(0...UInt64.max), body: body(index), key: key)
    }
}
