import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import Foundation
import Testing

@testable import facet

/// Every `facet tx` kind, parsed from its command line exactly as a user types it, builds the body the ledger
/// expects: amounts in exact minor units, weights in millicarats or milligrams, ids from hex, times from RFC 3339,
/// names of categories, channels and products.
@Suite struct TxBodyTests {
    let context: TxContext
    let a = MemberID(Hash256(w0: 1, w1: 0, w2: 0, w3: 0))
    let b = MemberID(Hash256(w0: 2, w1: 0, w2: 0, w3: 0))
    let piece = PieceID(Hash256(w0: 3, w1: 0, w2: 0, w3: 0))
    let invoice = InvoiceID(Hash256(w0: 4, w1: 0, w2: 0, w3: 0))
    let loan = LoanID(Hash256(w0: 5, w1: 0, w2: 0, w3: 0))
    let offer = OfferID(Hash256(w0: 6, w1: 0, w2: 0, w3: 0))
    let dispute = DisputeID(Hash256(w0: 7, w1: 0, w2: 0, w3: 0))
    let due: Timestamp
    let later: Timestamp

    init() throws {
        let key = try SigningKey(seed: Array(repeating: 9, count: 32))
        context = TxContext(signer: MemberKey(firstKey: key), chainID: try Label("facet-test"), height: 12, client: nil)
        due = try Timestamp(millis: 1_767_225_600_000)
        later = try Timestamp(millis: 1_769_904_000_000)
    }

    /// Parses `facet tx ARGS --key k` and builds its body (no node: the context stands in for it).
    func body(_ arguments: [String]) async throws -> TransactionBody {
        let parsed = try Facet.parseAsRoot(["tx"] + arguments + ["--key", "unused.key"])
        let command = try #require(parsed as? any TxCommand, "\(arguments.first ?? "") is not a transaction")
        return try await command.body(context)
    }

    func cny(_ units: Int64) throws -> Money { try Money(minorUnits: units, currency: .cny) }

    // MARK: Membership

    @Test func registerMember() async throws {
        let key = try SigningKey(seed: Array(repeating: 4, count: 32)).publicKey
        let built = try await body([
            "register-member", "--name", "深圳水贝金行", "--roles", "firm,lender", "--public-key", key.hex,
        ])
        #expect(built == .registerMember(MemberProfile(name: "深圳水贝金行", roles: [.firm, .lender], publicKey: key)))
    }

    @Test func approveSuspendReinstate() async throws {
        #expect(try await body(["approve-member", "--member", a.hex]) == .approveMember(.init(member: a)))
        #expect(
            try await body(["suspend-member", "--member", a.hex, "--reason", "audit"])
                == .suspendMember(.init(member: a, reason: "audit")))
        #expect(try await body(["reinstate-member", "--member", a.hex]) == .reinstateMember(.init(member: a)))
    }

    @Test func rotateKeyProvesTheNewKey() async throws {
        let folder = try TemporaryFolder()
        let newKey = try SigningKey(seed: Array(repeating: 5, count: 32))
        let path = folder.path("new.key")
        try KeyFile(key: newKey).write(to: path)
        let built = try await body(["rotate-key", "--new-key", path])
        guard case .rotateKey(let rotation) = built else { Issue.record("not a rotation: \(built)"); return }
        #expect(rotation.newKey == newKey.publicKey)
        let payload = MembershipRotation.payload(member: context.signer.member, newKey: newKey.publicKey)
        #expect(
            newKey.publicKey.verify(rotation.proof, purpose: .keyRotation, chainID: context.chainID, payload: payload))
    }

    @Test func rotateValidatorKeyProvesTheNewKeyUnderItsOwnPurpose() async throws {
        let folder = try TemporaryFolder()
        let newKey = try SigningKey(seed: Array(repeating: 9, count: 32))
        let path = folder.path("consensus.key")
        try KeyFile(key: newKey).write(to: path)
        let built = try await body(["rotate-validator-key", "--new-key", path])
        guard case .rotateValidatorKey(let rotation) = built else { Issue.record("not a rotation: \(built)"); return }
        #expect(rotation.newKey == newKey.publicKey)
        let payload = ValidatorKeyRotation.payload(member: context.signer.member, newKey: newKey.publicKey)
        #expect(
            newKey.publicKey.verify(
                rotation.proof, purpose: .validatorKeyRotation, chainID: context.chainID, payload: payload))
        #expect(
            !newKey.publicKey.verify(rotation.proof, purpose: .keyRotation, chainID: context.chainID, payload: payload))
    }

    @Test func changeValidatorsSignsApprovalsHere() async throws {
        let folder = try TemporaryFolder()
        let validatorKey = try SigningKey(seed: Array(repeating: 6, count: 32))
        let path = folder.path("validator.key")
        try KeyFile(key: validatorKey).write(to: path)
        let validator = MemberID(initialKey: validatorKey.publicKey)
        let built = try await body([
            "change-validators", "--validator", "\(validator.hex):\(validatorKey.publicKey.hex)", "--effective-height",
            "40", "--approve-with", path,
        ])
        guard case .changeValidators(let change) = built else { Issue.record("not a change: \(built)"); return }
        let set = ValidatorSet([Validator(member: validator, publicKey: validatorKey.publicKey)])
        #expect(change.validators == set && change.effectiveHeight == 40)
        let payload = ValidatorChangePayload.bytes(validators: set, effectiveHeight: 40)
        let approval = try #require(change.approvals.first)
        #expect(approval.validator == validator)
        #expect(
            validatorKey.publicKey.verify(
                approval.signature, purpose: .validatorSetChange, chainID: context.chainID, payload: payload))
        let given = try await body([
            "change-validators", "--validator", "\(validator.hex):\(validatorKey.publicKey.hex)", "--effective-height",
            "40", "--approval", "\(validator.hex):\(approval.signature.hex)",
        ])
        #expect(given == built)
    }

    @Test func reportEvidenceTakesHexOrAFile() async throws {
        let key = try SigningKey(seed: Array(repeating: 6, count: 32))
        let validator = MemberID(initialKey: key.publicKey)
        func vote(_ block: UInt8) -> Vote {
            Vote.sign(
                .precommit, height: 9, round: 2, blockID: Hash256(w0: UInt64(block), w1: 0, w2: 0, w3: 0),
                chainID: context.chainID, validator: validator, key: key)
        }
        let misbehavior = try #require(Misbehavior.votes(vote(1), vote(2)))
        let hex = Hex.encode(misbehavior.canonicalBytes)
        let built = try await body(["report-evidence", "--misbehavior", hex])
        #expect(built == .reportEvidence(.init(misbehavior: misbehavior)))
        let folder = try TemporaryFolder()
        let path = folder.path("evidence.hex")
        try Data((hex + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await body(["report-evidence", "--misbehavior", path]) == built)
        let raw = folder.path("evidence.bin")
        try Data(misbehavior.canonicalBytes).write(to: URL(fileURLWithPath: raw))
        #expect(try await body(["report-evidence", "--misbehavior", raw]) == built)
        await #expect(throws: ValidationError.self) {
            try await body(["report-evidence", "--misbehavior", String(hex.dropLast(2))])
        }
    }

    // MARK: Inventory

    @Test func registerPieceWithACertificateClaim() async throws {
        let built = try await body([
            "register-piece", "--category", "natural-diamond", "--carats", "1.01", "--color", "D", "--clarity", "VS1",
            "--cut", "EX", "--description", "圆钻 round brilliant", "--lab", b.hex, "--certificate", "GIA-2141438167",
        ])
        let card = IdentityCard(
            category: .naturalDiamond, weight: 1010, color: try Label("D"), clarity: try Label("VS1"),
            cut: try Label("EX"), description: "圆钻 round brilliant")
        #expect(
            built == .registerPiece(.init(card: card, certificate: .init(lab: b, number: try Label("GIA-2141438167")))))
    }

    @Test func registerGoldInGrams() async throws {
        let built = try await body([
            "register-piece", "--category", "gold", "--grams", "50.25", "--fineness", "999", "--description", "足金手镯",
        ])
        let card = IdentityCard(category: .gold, weight: 50_250, fineness: 999, description: "足金手镯")
        #expect(built == .registerPiece(.init(card: card, certificate: nil)))
    }

    @Test func certifyInspectCustodyAudit() async throws {
        let grading = IdentityCard(category: .jadeite, weight: 32_000, color: try Label("imperial-green"))
        #expect(
            try await body([
                "certify-piece", "--piece", piece.hex, "--number", "NGTC-88", "--category", "jadeite", "--grams", "32",
                "--color", "imperial-green",
            ]) == .certifyPiece(.init(piece: piece, number: try Label("NGTC-88"), grading: grading)))
        #expect(
            try await body([
                "inspect-piece", "--piece", piece.hex, "--card-number", "PY-001", "--failed", "--notes", "chip",
            ])
                == .inspectPiece(.init(piece: piece, cardNumber: try Label("PY-001"), passed: false, notes: "chip")))
        #expect(
            try await body(["custody-in", "--piece", piece.hex, "--bonded"])
                == .custodyIn(.init(piece: piece, bonded: true)))
        #expect(try await body(["custody-out", "--piece", piece.hex]) == .custodyOut(.init(piece: piece)))
        let other = PieceID(Hash256(w0: 0, w1: 0, w2: 0, w3: 1))
        #expect(
            try await body(["stock-audit", "--firm", a.hex, "--piece", piece.hex, "--piece", other.hex])
                == .stockAudit(.init(firm: a, pieces: [piece, other])))
    }

    // MARK: Trade

    @Test func issueConfirmPay() async throws {
        #expect(
            try await body([
                "issue-invoice", "--buyer", b.hex, "--amount", "1234.56", "--currency", "CNY", "--due",
                "2026-01-01T00:00:00Z", "--piece", piece.hex, "--channel", "wholesale",
            ])
                == .issueInvoice(
                    .init(buyer: b, amount: try cny(123_456), dueAt: due, pieces: [piece], channel: .wholesale)))
        #expect(
            try await body([
                "issue-invoice", "--amount", "1500", "--currency", "JPY", "--due", "2026-01-01T00:00:00Z", "--channel",
                "livestream",
            ])
                == .issueInvoice(
                    .init(
                        buyer: nil, amount: try Money(minorUnits: 1500, currency: Currency("JPY")), dueAt: due,
                        pieces: [],
                        channel: .livestream)))
        #expect(
            try await body(["confirm-invoice", "--invoice", invoice.hex]) == .confirmInvoice(.init(invoice: invoice)))
        #expect(
            try await body(["pay-invoice", "--invoice", invoice.hex, "--amount", "0.1"])
                == .payInvoice(.init(invoice: invoice, amount: try cny(10))))
    }

    @Test func disputes() async throws {
        #expect(
            try await body(["raise-dispute", "--invoice", invoice.hex, "--reason", "short weight"])
                == .raiseDispute(.init(invoice: invoice, reason: "short weight")))
        #expect(
            try await body(["resolve-dispute", "--dispute", dispute.hex, "--outcome", "dismissed"])
                == .resolveDispute(.init(dispute: dispute, outcome: .dismissed, note: "")))
        #expect(
            try await body([
                "resolve-dispute", "--dispute", dispute.hex, "--outcome", "adjusted", "--amount", "1000", "--note",
                "ok",
            ]) == .resolveDispute(.init(dispute: dispute, outcome: .adjusted(try cny(100_000)), note: "ok")))
        #expect(
            try await body(["resolve-dispute", "--dispute", dispute.hex, "--outcome", "cancelled"])
                == .resolveDispute(.init(dispute: dispute, outcome: .cancelled, note: "")))
    }

    @Test func platformSettlement() async throws {
        #expect(
            try await body([
                "settle-platform-sales", "--seller", a.hex, "--start", "2026-01-01T00:00:00Z", "--end",
                "2026-02-01T00:00:00Z", "--gross", "98000.00", "--refunds", "1200.5", "--orders", "312",
            ])
                == .settlePlatformSales(
                    .init(
                        seller: a, periodStart: due, periodEnd: later, gross: try cny(9_800_000), orders: 312,
                        refunds: try cny(120_050))))
    }

    @Test func publishPrice() async throws {
        #expect(
            try await body([
                "publish-price", "--category", "gold", "--band", "AU9999-PER-G", "--price", "0.62", "--currency", "CNY",
            ]) == .publishPrice(.init(category: .gold, band: try Label("AU9999-PER-G"), pricePerUnit: try cny(62))))
    }

    // MARK: Finance

    @Test func consent() async throws {
        #expect(
            try await body(["grant-consent", "--lender", b.hex, "--expires", "2026-02-01T00:00:00Z"])
                == .grantConsent(.init(lender: b, expiresAt: later)))
        #expect(
            try await body(["grant-consent", "--lender", b.hex]) == .grantConsent(.init(lender: b, expiresAt: nil)))
        #expect(try await body(["revoke-consent", "--lender", b.hex]) == .revokeConsent(.init(lender: b)))
    }

    @Test func offerNamesTheNodesHeightByDefault() async throws {
        let built = try await body([
            "make-offer", "--firm", a.hex, "--product", "inventory-pledge", "--principal", "50000", "--rate-bp", "850",
            "--term-days", "90", "--expires", "2026-01-01T00:00:00Z", "--collateral", "piece:\(piece.hex)",
            "--collateral", "invoice:\(invoice.hex)", "--model-hash", offer.hex,
        ])
        #expect(
            built
                == .makeOffer(
                    .init(
                        firm: a, product: .inventoryPledge, principal: try cny(5_000_000), rateBasisPoints: 850,
                        termDays: 90, modelHash: offer.hash, ledgerHeight: 12, expiresAt: due,
                        collateral: [.piece(piece), .invoice(invoice)])))
        let pinned = try await body([
            "make-offer", "--firm", a.hex, "--product", "working-capital", "--principal", "1", "--rate-bp", "1",
            "--term-days", "1", "--expires", "2026-01-01T00:00:00Z", "--height", "3", "--model-hash", piece.hex,
        ])
        guard case .makeOffer(let offer) = pinned else { Issue.record("not an offer"); return }
        #expect(offer.ledgerHeight == 3 && offer.modelHash == piece.hash && offer.product == .workingCapital)
    }

    @Test func loansAndCollateral() async throws {
        #expect(try await body(["accept-offer", "--offer", offer.hex]) == .acceptOffer(.init(offer: offer)))
        #expect(
            try await body(["register-model", "--model-hash", piece.hex, "--name", "sme-v1"])
                == .registerModel(.init(modelHash: piece.hash, name: try Label("sme-v1"))))
        #expect(
            try await body(["pledge", "--loan", loan.hex, "--piece", piece.hex])
                == .pledge(.init(loan: loan, collateral: .piece(piece))))
        #expect(
            try await body(["pledge", "--loan", loan.hex, "--invoice", invoice.hex])
                == .pledge(.init(loan: loan, collateral: .invoice(invoice))))
        #expect(
            try await body(["repay", "--loan", loan.hex, "--amount", "2500.05"])
                == .repay(.init(loan: loan, amount: try cny(250_005))))
        #expect(
            try await body(["confirm-repayment", "--claim", invoice.hex])
                == .confirmRepayment(.init(claim: TransactionID(invoice.hash))))
        #expect(try await body(["declare-default", "--loan", loan.hex]) == .declareDefault(.init(loan: loan)))
        #expect(
            try await body(["release", "--loan", loan.hex, "--piece", piece.hex])
                == .release(.init(loan: loan, collateral: .piece(piece))))
        #expect(
            try await body(["guarantee", "--loan", loan.hex, "--coverage-bp", "5000", "--fee", "0"])
                == .guarantee(.init(loan: loan, coverageBasisPoints: 5000, fee: try cny(0))))
    }

    /// Every kind of the ledger has its subcommand, named as in contracts/transactions.md with dashes.
    @Test func everyKindHasASubcommand() {
        let names = Set(Tx.configuration.subcommands.compactMap { $0.configuration.commandName })
        for kind in TransactionKindName.names.values {
            #expect(names.contains(kind.replacingOccurrences(of: "_", with: "-")), "no facet tx \(kind)")
        }
    }
}
