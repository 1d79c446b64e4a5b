import FacetClient
import FacetCore
import Foundation
import Testing

/// Responses shaped as `contracts/openapi.yaml`'s examples decode; a response missing a required field does not.
@Suite struct NodeAPIDecodingTests {
    let id = String(repeating: "ab", count: 32)
    let other = String(repeating: "cd", count: 32)

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test func status() throws {
        let status = try decode(
            NodeAPI.Status.self,
            #"{"chainID":"facet-demo","node":"\#(id)","height":42,"blockID":"\#(id)","stateRoot":"\#(other)","#
                + #""time":1767225600000,"#
                + #""logSize":97,"mempool":{"count":3,"bytes":1200},"peers":[]}"#)
        #expect(status.chainID == "facet-demo")
        #expect(status.height == 42)
        #expect(status.mempool.count == 3)
        #expect(status.time == 1_767_225_600_000)
        #expect(throws: DecodingError.self) {
            try decode(NodeAPI.Status.self, #"{"chainID":"x","height":1,"mempool":{},"peers":[]}"#)
        }
    }

    /// The flags a node puts on records whose attestor is suspended now decode; an older node's records lack them.
    @Test func suspendedAttestorFlags() throws {
        let entry =
            #"{"height":3,"index":0,"time":1,"transaction":"\#(id)","kind":"pay_invoice","#
            + #""signer":"\#(other)","accepted":true"#
        #expect(try decode(NodeAPI.HistoryEntry.self, entry + #","signerSuspended":true}"#).signerSuspended == true)
        #expect(try decode(NodeAPI.HistoryEntry.self, entry + "}").signerSuspended == nil)
        let status = try decode(
            NodeAPI.TransactionStatus.self, #"{"id":"\#(id)","status":"committed","height":3,"signerSuspended":false}"#)
        #expect(status.signerSuspended == false)
        let card = try decode(
            NodeAPI.PieceCard.self, #"{"id":"\#(id)","card":{},"suspendedAttestors":["\#(other)"]}"#)
        #expect(card.suspendedAttestors == [other])
    }

    @Test func evidence() throws {
        let evidence = try decode(
            NodeAPI.Evidence.self,
            #"{"id":"\#(id)","offender":"\#(other)","height":12,"round":1,"step":"precommit","#
                + #""kind":"conflicting_votes","reporter":"\#(id)","recordedHeight":13,"recordedAt":1767225600000}"#)
        #expect(evidence.kind == .conflictingVotes && evidence.offender == other)
        #expect(evidence.height == 12 && evidence.round == 1 && evidence.step == "precommit")
        #expect(evidence.recordedHeight == 13 && evidence.recordedAt == 1_767_225_600_000)
        #expect(throws: DecodingError.self) {
            try decode(NodeAPI.Evidence.self, #"{"id":"\#(id)","offender":"\#(other)","kind":"late_vote"}"#)
        }
    }

    @Test func transactionStatuses() throws {
        let pending = try decode(NodeAPI.TransactionStatus.self, #"{"id":"\#(id)","status":"pending"}"#)
        #expect(pending.status == .pending && !pending.isFinal)
        let rejected = try decode(
            NodeAPI.TransactionStatus.self,
            #"{"id":"\#(id)","status":"rejected","height":7,"index":1,"kind":"pledge","#
                + #""code":"pledge.already_pledged","message":"already pledged"}"#)
        #expect(rejected.isFinal && rejected.code == "pledge.already_pledged" && rejected.height == 7)
        #expect(throws: DecodingError.self) {
            try decode(NodeAPI.TransactionStatus.self, #"{"id":"\#(id)","status":"lost"}"#)
        }
    }

    @Test func blockKeepsItsOpenObjectsAndLargeIntegers() throws {
        let block = try decode(
            NodeAPI.Block.self,
            #"{"id":"\#(id)","header":{"height":18446744073709551615,"time":1767225600000,"chainID":"c"},"#
                + #""certificate":{"round":0,"signatures":[{"validator":"\#(other)"}]},"#
                + #""transactions":[{"id":"\#(other)","status":"committed","height":1,"index":0}]}"#)
        #expect(block.header["height"] == .unsigned(UInt64.max))
        #expect(block.header["time"] == .integer(1_767_225_600_000))
        #expect(block.transactions.first?.status == .committed)
        let reencoded = try JSONDecoder().decode(NodeAPI.Block.self, from: JSONEncoder().encode(block))
        #expect(reencoded == block)
    }

    @Test func memberPieceAndHistory() throws {
        let member = try decode(
            NodeAPI.Member.self,
            #"{"id":"\#(id)","name":"番禺钻石","roles":["firm"],"publicKey":"\#(other)","status":"active","since":1}"#)
        #expect(member.name == "番禺钻石" && member.status == .active)
        let piece = try decode(
            NodeAPI.PieceCard.self,
            #"{"id":"\#(id)","owner":"\#(other)","card":{"category":"natural-diamond","weight":1010},"#
                + #""certificate":null,"certified":false,"custody":null,"pledgedTo":null,"status":"active","#
                + #""history":[{"height":3,"index":0,"time":1767225600000,"transaction":"\#(id)","#
                + #""kind":"register_piece","signer":"\#(other)","accepted":true}]}"#)
        #expect(piece.card["weight"] == .integer(1010))
        #expect(piece.certificate == nil || piece.certificate == .null)
        #expect(piece.history?.first?.kind == "register_piece" && !piece.isProvenanceOnly)
    }

    @Test func invoicesPledgesAndLoansWithMoney() throws {
        let invoice = try decode(
            NodeAPI.Invoice.self,
            #"{"id":"\#(id)","seller":"\#(other)","buyer":null,"amount":{"minorUnits":"123456","currency":"CNY"},"#
                + #""paid":{"minorUnits":"0","currency":"CNY"},"channel":"retail","pieces":[],"cancelled":false}"#)
        #expect(invoice.amount.money == (try Money(minorUnits: 123_456, currency: .cny)))
        #expect(invoice.amount.description == "1234.56 CNY")
        #expect(invoice.buyer == nil)
        let pledge = try decode(
            NodeAPI.Pledge.self, #"{"loan":"\#(id)","collateral":{"kind":"piece","id":"\#(other)"}}"#)
        #expect(pledge.collateral.kind == "piece")
        let loan = try decode(
            NodeAPI.Loan.self,
            #"{"id":"\#(id)","lender":"\#(other)","borrower":"\#(id)","#
                + #""principal":{"minorUnits":"5000000","currency":"CNY"},"#
                + #""outstanding":{"minorUnits":"5000000","currency":"CNY"},"status":"active","rateBasisPoints":850,"#
                + #""collateral":[{"kind":"piece","id":"\#(other)"}]}"#)
        #expect(loan.status == .active && loan.principal.description == "50000.00 CNY")
        #expect(NodeAPI.Money(minorUnits: "12.5", currency: "CNY").money == nil)
    }
}
