import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// A short trading history committed through the API, in four blocks:
/// 1. firmA registers pieces P1 and P2 and grants `lender` consent; firmC confirms an invoice that does not exist
///    (refused, `invoice.unknown`); `lender` registers the scoring model its offer names;
/// 2. a warehouse takes P1 into custody; firmA invoices firmB (I1, with P1) and firmC (I2);
/// 3. firmB confirms and pays part of I1; `lender` offers firmA a loan secured by P2;
/// 4. firmA accepts: loan L, with P2 pledged.
struct APIScenario: Sendable {
    var fixture: LedgerFixture
    var piece1: Transaction
    var piece2: Transaction
    var refused: Transaction
    var invoice1: Transaction
    var invoice2: Transaction
    var payment: Transaction
    var accept: Transaction

    var p1: PieceID { PieceID(piece1.id.hash) }
    var p2: PieceID { PieceID(piece2.id.hash) }
    var i1: InvoiceID { InvoiceID(invoice1.id.hash) }
    var i2: InvoiceID { InvoiceID(invoice2.id.hash) }
    var loan: LoanID { LoanID(accept.id.hash) }

    static func cny(_ fen: Int64) -> Money {
        guard let money = try? Money(minorUnits: fen, currency: .cny) else { preconditionFailure("bad amount") }
        return money
    }

    /// Runs the scenario on `node`, checking that every submission is accepted (202) and every block commits.
    static func run(on node: APITestNode, fixture: LedgerFixture) async throws -> APIScenario {
        var f = fixture
        let day = Timestamp.millisPerDay
        let start = f.genesis.time.millis
        let gold = IdentityCard(category: .gold, weight: 50_000, fineness: 999)
        let piece1 = f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil)))
        let piece2 = f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil)))
        let refused = f.sign(
            "firmC", .confirmInvoice(.init(invoice: InvoiceID(Hash256(bytes: Array(repeating: 7, count: 32))))))
        guard let model = try? Label("scenario-model") else { preconditionFailure("a label") }
        let register = f.sign("lender", .registerModel(.init(modelHash: .zero, name: model)))
        try await expectQueued(
            node,
            [
                piece1, piece2, f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil))), refused,
                register,
            ])
        try #require(try await node.commitBlock()?.height == 1)

        let p1 = PieceID(piece1.id.hash)
        let due = Timestamp(uncheckedMillis: start + 30 * day)
        let invoice1 = f.sign(
            "firmA",
            .issueInvoice(
                .init(buyer: f.id("firmB"), amount: cny(1_280_000), dueAt: due, pieces: [p1], channel: .wholesale)))
        let invoice2 = f.sign(
            "firmA",
            .issueInvoice(.init(buyer: f.id("firmC"), amount: cny(50_000), dueAt: due, pieces: [], channel: .wholesale))
        )
        try await expectQueued(
            node, [f.sign("warehouse", .custodyIn(.init(piece: p1, bonded: true))), invoice1, invoice2])
        try #require(try await node.commitBlock()?.height == 2)

        let i1 = InvoiceID(invoice1.id.hash)
        let payment = f.sign("firmB", .payInvoice(.init(invoice: i1, amount: cny(100_000))))
        let offer = f.sign(
            "lender",
            .makeOffer(
                .init(
                    firm: f.id("firmA"), product: .inventoryPledge, principal: cny(1_000_000), rateBasisPoints: 800,
                    termDays: 90, modelHash: .zero, ledgerHeight: 2,
                    expiresAt: Timestamp(uncheckedMillis: start + 10 * day),
                    collateral: [.piece(PieceID(piece2.id.hash))])))
        try await expectQueued(node, [f.sign("firmB", .confirmInvoice(.init(invoice: i1))), payment, offer])
        try #require(try await node.commitBlock()?.height == 3)

        let accept = f.sign("firmA", .acceptOffer(.init(offer: OfferID(offer.id.hash))))
        try await expectQueued(node, [accept])
        try #require(try await node.commitBlock()?.height == 4)
        let loan = await node.node.state.record(Loan.self, accept.id.hash)
        try #require(loan?.collateral == [.piece(PieceID(piece2.id.hash))], "the scenario's loan must hold P2")
        return APIScenario(
            fixture: f, piece1: piece1, piece2: piece2, refused: refused, invoice1: invoice1, invoice2: invoice2,
            payment: payment, accept: accept)
    }

    private static func expectQueued(_ node: APITestNode, _ transactions: [Transaction]) async throws {
        for (transaction, response) in zip(transactions, try await node.submit(transactions)) {
            try #require(response.status == 202, "\(transaction.body.kind) was not queued: \(response)")
        }
    }
}
