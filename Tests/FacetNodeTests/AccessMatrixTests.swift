import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Foundation
import Testing

/// Every route that shows records × every reader class, against an oracle written from `contracts/privacy.md`
/// with its own table of each scenario transaction's parties (not `RecordScope`): anonymous, an unrelated member,
/// each party, a consented lender, the same lender after revoking, a suspended member, a rotated-out key, an
/// auditor. Each asserts exactly which transactions a block lists, which statuses and proofs answer (the rest a
/// plain 404), which piece cards are full, and which private lists answer.
@Suite struct AccessMatrixTests {
    static let members: [(String, Roles)] = [("auditor", .auditor)]

    /// What the oracle knows of a scenario transaction: who it names, and its sort.
    struct Known {
        let transaction: Transaction
        let parties: Set<String>
        let consortium: Bool
    }

    struct Reader {
        let name: String
        let roles: Roles
        var active = true
        /// The firms whose active consent it holds at the read.
        var consents: Set<String> = []
        /// The operator of the node read (its validator key): everything on that node, unreceipted.
        var operates = false
    }

    /// The oracle: what `reader` sees of `record` in full, from the privacy contract's table.
    static func sees(_ reader: Reader?, _ record: Known) -> Bool {
        guard let reader else { return false }
        if record.parties.contains(reader.name) || reader.operates { return true }
        guard reader.active else { return false }
        if record.consortium || reader.roles.contains(.auditor) { return true }
        return reader.roles.contains(.lender) && !record.parties.isDisjoint(with: reader.consents)
    }

    @Test func everyRouteAnswersEachReaderExactlyWhatThePolicyAllows() async throws {
        let fixture = LedgerFixture(validators: 1, members: Self.members)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            var f = s.fixture
            var known = [
                Known(transaction: s.piece1, parties: ["firmA"], consortium: false),
                Known(transaction: s.piece2, parties: ["firmA"], consortium: false),
                Known(transaction: s.refused, parties: ["firmC"], consortium: false),
                Known(transaction: s.invoice1, parties: ["firmA", "firmB"], consortium: false),
                Known(transaction: s.invoice2, parties: ["firmA", "firmC"], consortium: false),
                Known(transaction: s.payment, parties: ["firmA", "firmB"], consortium: false),
                Known(transaction: s.accept, parties: ["firmA", "lender"], consortium: false),
            ]
            // The scenario's other transactions, found in its blocks by kind.
            for height in UInt64(1)...4 {
                let block = try #require(try await node.store.block(at: height))
                for transaction in block.transactions where !known.contains(where: { $0.transaction.id == transaction.id }) {
                    switch transaction.body {
                    case .grantConsent: known.append(.init(transaction: transaction, parties: ["firmA", "lender"], consortium: false))
                    case .registerModel: known.append(.init(transaction: transaction, parties: ["lender"], consortium: true))
                    case .custodyIn:
                        // P1 is firmB's since it confirmed I1: a provenance step names the piece's owner now.
                        known.append(.init(transaction: transaction, parties: ["warehouse", "firmB"], consortium: false))
                    case .confirmInvoice: known.append(.init(transaction: transaction, parties: ["firmA", "firmB"], consortium: false))
                    case .makeOffer: known.append(.init(transaction: transaction, parties: ["firmA", "lender"], consortium: false))
                    default: Issue.record("an unexpected \(transaction.body.kind) in block \(height)")
                    }
                }
            }
            // Block 5: firmA consents to lender2; the admins suspend firmC (by their quorum of votes).
            let grant2 = f.sign("firmA", .grantConsent(.init(lender: f.id("lender2"), expiresAt: nil)))
            let suspend = f.sign("admin", .suspendMember(.init(member: f.id("firmC"), reason: "audit")))
            let second = f.sign("admin2", .suspendMember(.init(member: f.id("firmC"), reason: "audit")))
            try await Self.commit(node, [grant2, suspend, second])
            let firmC = await node.node.record(Member.self, f.id("firmC").hash)
            try #require(firmC?.status == .suspended, "the quorum suspended firmC")
            known.append(.init(transaction: grant2, parties: ["firmA", "lender2"], consortium: false))
            known.append(.init(transaction: suspend, parties: ["admin", "firmC"], consortium: true))
            known.append(.init(transaction: second, parties: ["admin2", "firmC"], consortium: true))

            let before: [Reader?] = [
                nil, Reader(name: "platform", roles: .platform), Reader(name: "firmA", roles: .firm),
                Reader(name: "firmB", roles: .firm), Reader(name: "firmC", roles: .firm, active: false),
                Reader(name: "warehouse", roles: .warehouse), Reader(name: "lender", roles: .lender, consents: ["firmA"]),
                Reader(name: "lender2", roles: .lender, consents: ["firmA"]), Reader(name: "auditor", roles: .auditor),
                Reader(name: "v1", roles: .validator, operates: true),
            ]
            for reader in before { try await Self.check(node, f, reader, known, blocks: 1...5) }

            // Block 6: firmA revokes lender2's consent; firmB rotates its key.
            let revoke = f.sign("firmA", .revokeConsent(.init(lender: f.id("lender2"))))
            let oldKey = f.actor("firmB").key
            let newKey = LedgerFixture.key(seed: 77, name: "firmB-new")
            let payload = MembershipRotation.payload(member: f.id("firmB"), newKey: newKey.publicKey)
            let proof = newKey.sign(purpose: .keyRotation, chainID: LedgerFixture.chainID, payload: payload)
            let rotate = f.sign("firmB", .rotateKey(.init(newKey: newKey.publicKey, proof: proof)))
            try await Self.commit(node, [revoke, rotate])
            known.append(.init(transaction: revoke, parties: ["firmA", "lender2"], consortium: false))
            known.append(.init(transaction: rotate, parties: ["firmB"], consortium: true))
            try await Self.check(node, f, Reader(name: "lender2", roles: .lender), known, blocks: 1...6)

            // The rotated-out key reads nothing at all; the new key reads what firmB may.
            let target = "/v1/blocks/3"
            let old = try await node.signedGet(target, as: f.actor("firmB"), key: oldKey)
            #expect(old.status == 401 && old.code == "api.unauthenticated", "the old key: \(old)")
            let new = try await node.signedGet(target, as: f.actor("firmB"), key: newKey)
            #expect(new.status == 200 && !new.object.isEmpty)
        }
    }

    static func commit(_ node: APITestNode, _ transactions: [Transaction]) async throws {
        for response in try await node.submit(transactions) { try #require(response.status == 202, "\(response)") }
        try #require(try await node.commitBlock() != nil)
    }

    /// The routes for one reader: blocks, statuses, proofs, piece cards, a firm's lists.
    static func check(
        _ node: APITestNode, _ f: LedgerFixture, _ reader: Reader?, _ known: [Known], blocks: ClosedRange<UInt64>
    ) async throws {
        let label = reader?.name ?? "anonymous"
        func get(_ target: String) async throws -> HTTPTestClient.Response {
            guard let reader else { return try await node.client.get(target) }
            return try await node.signedGet(target, as: f.actor(reader.name))
        }
        let byID = Dictionary(uniqueKeysWithValues: known.map { ($0.transaction.id.hex, $0) })
        for height in blocks {
            let block = try await get("/v1/blocks/\(height)")
            #expect(block.status == 200, "\(label) block \(height): \(block)")
            let header = try #require(block.object["header"] as? [String: Any])
            #expect(header["transactionCount"] != nil && block.object["certificate"] != nil, "header for \(label)")
            let listed = Set((block.object["transactions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            let stored = try #require(try await node.store.block(at: height))
            let expected = Set(stored.transactions.compactMap { tx in
                byID[tx.id.hex].flatMap { sees(reader, $0) ? tx.id.hex : nil }
            })
            #expect(listed == expected, "\(label) block \(height): listed \(listed.count), expected \(expected.count)")
            for entry in block.object["transactions"] as? [[String: Any]] ?? [] {
                #expect(entry["message"] == nil, "refusals carry their code only")
            }
        }
        for record in known {
            let id = record.transaction.id.hex
            let visible = sees(reader, record)
            let status = try await get("/v1/transactions/\(id)")
            #expect(status.status == (visible ? 200 : 404), "\(label) status of \(record.transaction.body.kind)")
            if !visible { #expect(status.code == "api.not_found", "a plain 404, as for no transaction at all") }
        }
        // One proof per reader: the invoice I1's.
        let i1 = try #require(known.first { $0.transaction.id.hash == known[3].transaction.id.hash })
        let proof = try await get("/v1/transactions/\(i1.transaction.id.hex)/proof")
        #expect(proof.status == (sees(reader, i1) ? 200 : 404), "\(label) proof of I1: \(proof.status)")

        // Piece cards: full to the owner and custodian, a lender with either's consent, an auditor.
        for pieceTransaction in [known[0].transaction, known[1].transaction] {
            let piece = try #require(await node.node.record(Piece.self, pieceTransaction.id.hash))
            var parties: Set<String> = []
            for (name, actor) in f.actors where actor.id == piece.owner || actor.id == piece.custody?.warehouse {
                parties.insert(name)
            }
            let full = sees(reader, Known(transaction: pieceTransaction, parties: parties, consortium: false))
            let card = try await get("/v1/pieces/\(piece.id.hex)")
            #expect(card.status == 200)
            #expect((card.object["owner"] != nil) == full, "\(label) piece card full: \(full)")
            #expect((card.object["view"] as? String == "provenance") == !full)
            if !full {
                let text = String(decoding: card.body, as: UTF8.self)
                #expect(!text.contains(piece.owner.hex), "\(label): the provenance card never names the owner")
                #expect(!text.contains("pledgedTo") && !text.contains("onInvoice"))
            }
        }

        // The registry and the evidence: consortium records, to every active member.
        for target in ["/v1/members", "/v1/evidence"] {
            let answer = try await get(target)
            let expected = reader == nil ? 401 : reader?.active == true ? 200 : 403
            #expect(answer.status == expected, "\(label) \(target): \(answer.status)")
        }

        // firmA's lists: the whole list to firmA, its consented lenders and the auditor; a party its own; else 403.
        let wholeList = reader.map { reader in
            reader.name == "firmA" || reader.operates || (reader.active && reader.roles.contains(.auditor))
                || (reader.active && reader.roles.contains(.lender) && reader.consents.contains("firmA"))
        } ?? false
        let lists: [(String, [Known], String)] = [
            ("invoices", [known[3], known[4]], "id"), ("payments", [known[5]], "transaction"),
            ("loans", [known[6]], "id"),
        ]
        for (what, records, key) in lists {
            let answer = try await get("/v1/members/\(f.id("firmA").hex)/\(what)")
            guard let reader else {
                #expect(answer.status == 401, "anonymous lists nothing")
                continue
            }
            let shown = records.filter { wholeList || $0.parties.contains(reader.name) }
            if shown.isEmpty {
                #expect(answer.status == 403, "\(label) shares no \(what) of firmA: \(answer.status)")
            } else {
                let ids = Set(answer.array.compactMap { $0[key] as? String })
                #expect(ids == Set(shown.map(\.transaction.id.hex)), "\(label) \(what)")
            }
        }

        // The dashboard's pages, through a session: a suspended member cannot sign in at all.
        guard let reader else { return }
        guard reader.active else {
            let page = try await node.client.get("/dash/network")
            #expect(page.status == 303, "no session, no page")
            return
        }
        let session = try await DashboardTests.signIn(node, f.actor(reader.name))
        func page(_ path: String) async throws -> HTTPTestClient.Response {
            try await node.client.get(path, headers: [("Cookie", session)])
        }
        let proofPage = try await page("/dash/proof/\(i1.transaction.id.hex)")
        #expect(proofPage.status == (sees(reader, i1) ? 200 : 404), "\(label) proof page of I1")
        let pledged = try #require(await node.node.record(Piece.self, known[1].transaction.id.hash))
        let owner = try #require(f.actors.first { $0.value.id == pledged.owner }?.key)
        let piecePage = try await page("/dash/pieces/\(pledged.id.hex)")
        let fullPiece = sees(reader, Known(transaction: known[1].transaction, parties: [owner], consortium: false))
        #expect(piecePage.status == 200 && piecePage.text.contains("figure-owner") == fullPiece, "\(label) piece page")
        let network = try await page("/dash/network")
        let operates = reader.roles.contains(.validator) || reader.roles.contains(.auditor)
        #expect(network.status == (operates ? 200 : 403), "\(label) network page: \(network.status)")
    }
}
