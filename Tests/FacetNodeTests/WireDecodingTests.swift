import FacetClient
import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import FacetWire
import Foundation
import Testing

/// The client's names for the bodies (FacetNode has a `NodeAPI` of its own: the routes).
private typealias Client = FacetClient.NodeAPI

/// Every route of `contracts/openapi.yaml` answers, over a real socket, a body the client's types decode: the
/// node's own `FacetWire` bodies, which encode back to the very bytes the node sent. The routes come from the
/// contract's `paths`, so a route added there without a decoding check here fails the test.
@Suite struct WireDecodingTests {
    /// The paths the contract lists, as written there (`/v1/members/{id}`).
    static func contractPaths() throws -> Set<String> {
        let text = String(decoding: try ContractFiles.data("openapi.yaml"), as: UTF8.self)
        var paths = Set<String>()
        var inPaths = false
        for line in text.split(separator: "\n") {
            if line == "paths:" {
                inPaths = true
            } else if inPaths, line.first != " " {
                break
            } else if inPaths, line.hasPrefix("  /"), line.hasSuffix(":") {
                paths.insert(String(line.dropFirst(2).dropLast()))
            }
        }
        return paths
    }

    /// The body as `T`, which must encode back (sorted keys, as the node writes) to exactly the bytes received.
    static func wire<T: Codable>(_ type: T.Type, _ response: HTTPTestClient.Response, status: Int = 200) throws -> T {
        try #require(response.status == status, "\(T.self): \(response)")
        let value = try JSONDecoder().decode(T.self, from: Data(response.body))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try encoder.encode(value) == Data(response.body), "\(T.self) encodes back to the node's bytes")
        return value
    }

    /// The body as one of the client's own views (`NodeAPI.Block`, `NodeAPI.PieceCard`), which only decode.
    static func view<T: Decodable>(_ type: T.Type, _ response: HTTPTestClient.Response) throws -> T {
        try #require(response.status == 200, "\(T.self): \(response)")
        return try JSONDecoder().decode(T.self, from: Data(response.body))
    }

    @Test func everyRouteOfTheContractDecodesIntoTheClientsTypes() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture, credit: try APICreditTests.library()) { node in
            let scenario = try await APIScenario.run(on: node, fixture: fixture)
            let credit = try await APICreditTests.run(on: node, fixture: scenario.fixture)
            var f = credit.fixture
            let evidence = APIEvidenceTests.report(&f, height: 1, round: 0)
            try await APICreditTests.queue(node, [evidence])
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let (auditor, firmA, lender) = (f.actor("auditor"), f.actor("firmA"), f.actor("lender"))
            var checked = Set<String>()

            let health = try await node.client.get("/healthz")
            #expect(health.status == 200 && health.header("content-type")?.hasPrefix("text/plain") == true)
            checked.insert("/healthz")
            let metrics = try await node.client.get("/metrics")
            #expect(metrics.status == 200 && metrics.text.contains("facet_"))
            checked.insert("/metrics")

            let status = try Self.wire(Client.Status.self, try await node.client.get("/v1/status"))
            #expect(status.node == node.node.validatorID.hex && status.height >= 4)
            checked.insert("/v1/status")

            let gold = IdentityCard(category: .gold, weight: 1_000, fineness: 999)
            let single = f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil)))
            let submitted = try Self.wire(
                Client.TransactionStatus.self,
                try await node.client.post(
                    "/v1/transactions", json: #"{"transaction":"\#(Hex.encode(single.canonicalBytes))"}"#),
                status: 202)
            #expect(submitted.status == .pending && submitted.id == single.id.hex)
            checked.insert("/v1/transactions")
            let batched = f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil)))
            let batch = try Self.wire(
                Client.BatchResult.self,
                try await node.client.post(
                    "/v1/transactions/batch", json: APIBatchTests.batchJSON([Hex.encode(batched.canonicalBytes)])))
            #expect(batch.pending == 1 && batch.results.first?.isPending == true)
            checked.insert("/v1/transactions/batch")

            let piece = scenario.piece1.id.hex
            let transaction = try Self.wire(
                Client.TransactionStatus.self, try await node.signedGet("/v1/transactions/\(piece)", as: auditor))
            #expect(transaction.status == .committed && transaction.isFinal)
            checked.insert("/v1/transactions/{id}")
            let proof = try await node.signedGet("/v1/transactions/\(piece)/proof", as: auditor)
            #expect(proof.status == 200)
            let bundle = try ProofBundle(json: Data(proof.body))
            #expect((try? bundle.verify(genesis: fixture.genesis).get())?.transactionID == scenario.piece1.id)
            checked.insert("/v1/transactions/{id}/proof")
            let genesis = try await node.client.get("/v1/genesis")
            #expect(genesis.status == 200)
            #expect(try Genesis(json: Data(genesis.body)) == fixture.genesis)
            checked.insert("/v1/genesis")

            for path in ["/v1/blocks/latest", "/v1/blocks/4"] {
                let answer = try await node.signedGet(path, as: auditor)
                let block = try Self.wire(APIJSON.BlockBody.self, answer)
                let seen = try Self.view(Client.Block.self, answer)
                #expect(seen.id == block.id && seen.transactions == block.transactions && !block.transactions.isEmpty)
            }
            checked.formUnion(["/v1/blocks/latest", "/v1/blocks/{height}"])

            let full = try await node.signedGet("/v1/pieces/\(piece)", as: auditor)
            #expect(try !Self.wire(APIJSON.PieceCardBody.self, full).history.isEmpty)
            #expect(try !Self.view(Client.PieceCard.self, full).isProvenanceOnly)
            let provenance = try await node.client.get("/v1/pieces/\(piece)")
            #expect(try Self.wire(APIJSON.ProvenanceCardBody.self, provenance).view == "provenance")
            #expect(try Self.view(Client.PieceCard.self, provenance).isProvenanceOnly)
            checked.insert("/v1/pieces/{id}")

            let records = try Self.wire(
                Array<Client.Evidence>.self, try await node.signedGet("/v1/evidence", as: auditor))
            let record = try #require(records.first)
            #expect(record.kind == .conflictingVotes)
            let one = try await node.signedGet("/v1/evidence/\(record.id)", as: auditor)
            #expect(try Self.wire(Client.Evidence.self, one) == record)
            checked.formUnion(["/v1/evidence", "/v1/evidence/{id}"])

            let members = try Self.wire(
                Array<Client.Member>.self, try await node.signedGet("/v1/members", as: auditor))
            #expect(members.contains { $0.id == f.id("firmA").hex && $0.status == .active })
            let member = try await node.signedGet("/v1/members/\(f.id("firmA").hex)", as: auditor)
            #expect(try Self.wire(Client.Member.self, member).id == f.id("firmA").hex)
            checked.formUnion(["/v1/members", "/v1/members/{id}"])

            let firm = "/v1/members/\(f.id("firmA").hex)"
            let invoices = try Self.wire(
                Array<Client.Invoice>.self, try await node.signedGet(firm + "/invoices", as: firmA))
            #expect(invoices.contains { $0.id == scenario.i1.hex })
            let payments = "/v1/members/\(f.id("firmB").hex)/payments"
            let history = try await node.signedGet(payments, as: auditor)
            #expect(try !Self.wire(Array<Client.HistoryEntry>.self, history).isEmpty)
            let pledges = try Self.wire(
                Array<Client.Pledge>.self, try await node.signedGet(firm + "/pledges", as: firmA))
            #expect(pledges.map(\.collateral.id) == [scenario.p2.hex])
            let loans = try Self.wire(Array<Client.Loan>.self, try await node.signedGet(firm + "/loans", as: firmA))
            #expect(loans.map(\.id) == [scenario.loan.hex] && loans.first?.status == .active)
            checked.formUnion([
                "/v1/members/{id}/invoices", "/v1/members/{id}/payments", "/v1/members/{id}/pledges",
                "/v1/members/{id}/loans",
            ])

            let creditPath = "/v1/credit/\(f.id("firmA").hex)"
            let report = try Self.wire(
                Client.CreditReport.self, try await node.signedGet(creditPath + "/report", as: lender))
            #expect(report.firm == f.id("firmA").hex && !report.lenders.isEmpty)
            let offers = try Self.wire(
                Client.CreditOffers.self, try await node.signedGet(creditPath + "/offers", as: lender))
            #expect(offers.lender == f.id("lender").hex && !offers.decisions.isEmpty)
            let applicants = try Self.wire(
                Client.CreditApplicants.self, try await node.signedGet("/v1/credit/applicants", as: lender))
            #expect(applicants.applicants.map(\.firm).contains(f.id("firmA").hex))
            checked.formUnion(["/v1/credit/{id}/report", "/v1/credit/{id}/offers", "/v1/credit/applicants"])

            let log = try Self.wire(Client.AccessLog.self, try await node.signedGet(firm + "/access-log", as: firmA))
            #expect(log.receipts.contains { $0.reader == f.id("lender").hex && $0.basis == .consent })
            checked.insert("/v1/members/{id}/access-log")

            let paths = try Self.contractPaths()
            #expect(paths.count >= 20, "the contract's paths were read")
            #expect(paths.subtracting(checked).isEmpty, "routes of the contract without a decoding check")
            #expect(checked.subtracting(paths).isEmpty, "checks of routes the contract does not list")
        }
    }
}
