import ArgumentParser
import FacetClient
import FacetCore
import FacetLedger
import Testing

@testable import facet

/// Options that do not make a valid transaction are usage errors (exit status 64) before anything is signed or
/// sent; outcomes map to the documented exit statuses and lines.
@Suite struct CLIUsageTests {
    let id = String(repeating: "ab", count: 32)

    /// The exit status `facet ARGS` would end with at parsing and validation.
    func exitStatus(_ arguments: [String]) -> Int32 {
        do {
            _ = try Facet.parseAsRoot(arguments)
            return 0
        } catch {
            return Facet.exitCode(for: error).rawValue
        }
    }

    @Test(arguments: [
        ["pay-invoice", "--amount", "1.234", "--currency", "CNY"],
        ["pay-invoice", "--amount", "100.5", "--currency", "JPY"],
        ["pay-invoice", "--amount", "-5"],
        ["pay-invoice", "--amount", "1e3"],
        ["pay-invoice", "--amount", "12", "--currency", "BTC"],
        ["pay-invoice", "--amount", "10000000000000.01"],
    ])
    func amountsThatAreNotExactAreUsageErrors(arguments: [String]) {
        let full = ["tx"] + arguments + ["--invoice", id, "--key", "k"]
        #expect(exitStatus(full) == 64, "\(full)")
    }

    @Test func theSameAmountsInTheirPrecisionParse() {
        #expect(exitStatus(["tx", "pay-invoice", "--invoice", id, "--key", "k", "--amount", "1234.56"]) == 0)
        #expect(
            exitStatus(["tx", "pay-invoice", "--invoice", id, "--key", "k", "--amount", "100", "--currency", "JPY"])
                == 0)
    }

    @Test(arguments: [
        ["confirm-invoice", "--key", "k", "--invoice", "xyz"],
        ["confirm-invoice", "--key", "k"],
        ["confirm-invoice", "--invoice", String(repeating: "ab", count: 32)],
        ["grant-consent", "--key", "k", "--lender", String(repeating: "ab", count: 32), "--expires", "tomorrow"],
        ["register-piece", "--key", "k", "--category", "diamond", "--carats", "1"],
        ["register-piece", "--key", "k", "--category", "gold", "--carats", "1"],
        ["register-piece", "--key", "k", "--category", "natural-diamond", "--carats", "1.0001"],
        ["register-piece", "--key", "k", "--category", "natural-diamond", "--carats", "1", "--certificate", "X-1"],
        ["register-piece", "--key", "k", "--category", "gold", "--grams", "1", "--fineness", "1001"],
        [
            "register-piece", "--key", "k", "--category", "gold", "--grams", "1", "--description",
            String(repeating: "x", count: 257),
        ],
        ["pledge", "--key", "k", "--loan", String(repeating: "ab", count: 32)],
        [
            "pledge", "--key", "k", "--loan", String(repeating: "ab", count: 32), "--piece",
            String(repeating: "ab", count: 32),
            "--invoice", String(repeating: "ab", count: 32),
        ],
        ["resolve-dispute", "--key", "k", "--dispute", String(repeating: "ab", count: 32), "--outcome", "adjusted"],
        [
            "resolve-dispute", "--key", "k", "--dispute", String(repeating: "ab", count: 32), "--outcome", "dismissed",
            "--amount", "5",
        ],
        ["issue-invoice", "--key", "k", "--amount", "5", "--due", "2026-01-01T00:00:00Z", "--channel", "barter"],
        ["stock-audit", "--key", "k", "--firm", String(repeating: "ab", count: 32)],
        ["inspect-piece", "--key", "k", "--piece", String(repeating: "ab", count: 32), "--card-number", "C1"],
        ["change-validators", "--key", "k", "--effective-height", "9"],
        ["confirm-invoice", "--key", "k", "--invoice", String(repeating: "ab", count: 32), "--timeout", "0"],
    ])
    func badOptionsAreUsageErrors(arguments: [String]) {
        #expect(exitStatus(["tx"] + arguments) == 64, "\(arguments)")
    }

    @Test func queriesParse() {
        #expect(exitStatus(["query", "block"]) == 0)
        #expect(exitStatus(["query", "block", "7", "--json"]) == 0)
        #expect(exitStatus(["query", "proof", id, "--out", "bundle.json"]) == 0)
        #expect(exitStatus(["query", "invoices", id, "--key", "k", "--from", "2026-01-01T00:00:00Z"]) == 0)
        #expect(exitStatus(["query", "loans", "--key", "k"]) == 0)
        #expect(exitStatus(["query", "piece", "nothex"]) == 64)
        #expect(exitStatus(["query", "evidence"]) == 0)
        #expect(exitStatus(["query", "evidence", "--from", "2026-01-01T00:00:00Z", "--json"]) == 0)
        #expect(exitStatus(["query", "evidence", id]) == 0)
        #expect(exitStatus(["query", "evidence", "nothex"]) == 64)
        #expect(exitStatus(["query", "evidence", id, "--to", "2026-01-01T00:00:00Z"]) == 64)
        #expect(exitStatus(["query", "invoices", id]) == 64)
        #expect(exitStatus(["query", "payments", id, "--key", "k", "--to", "soon"]) == 64)
    }

    /// The canonical decoder's limits are checked before sending: a body over a limit is a usage error.
    @Test func aBodyOverTheLedgersLimitsIsRefusedBeforeSending() throws {
        let context = TxContext(
            signer: MemberKey(firstKey: try SigningKey(seed: Array(repeating: 9, count: 32))),
            chainID: try Label("facet-test"), height: 1, client: nil)
        let pieces = (0..<65).map { PieceID(Hash256(w0: UInt64($0), w1: 0, w2: 0, w3: 0)) }
        let tooMany = TransactionBody.issueInvoice(
            .init(
                buyer: nil, amount: try Money(minorUnits: 1, currency: .cny), dueAt: try Timestamp(millis: 1),
                pieces: pieces, channel: .retail))
        #expect(throws: ValidationError.self) { try TxRunner.sign(tooMany, context: context, nonce: 1) }
        let fine = TransactionBody.confirmInvoice(.init(invoice: InvoiceID(Hash256.zero)))
        let signed = try TxRunner.sign(fine, context: context, nonce: 1_767_225_600_000)
        #expect(signed.nonce == 1_767_225_600_000 && signed.signer == context.signer.member)
        #expect(signed.hasValidSignature(key: context.signer.key.publicKey))
    }

    @Test func outcomesPrintAndExitAsDocumented() {
        let id = String(repeating: "0", count: 64)
        let committed = TxReport(
            status: NodeAPI.TransactionStatus(id: id, status: .committed, height: 9, index: 0, kind: "pledge"),
            kind: "pledge")
        #expect(committed.line == "committed at height 9: pledge \(id)")
        #expect(committed.exitCode == 0)
        let rejected = TxReport(
            status: NodeAPI.TransactionStatus(
                id: id, status: .rejected, height: 10, kind: "pledge", code: "pledge.already_pledged",
                message: "the piece already secures a loan"),
            kind: "pledge")
        #expect(rejected.line == "rejected: pledge.already_pledged: the piece already secures a loan")
        #expect(rejected.exitCode == 1)
        let pending = TxReport(status: NodeAPI.TransactionStatus(id: id, status: .pending), kind: "repay")
        #expect(pending.exitCode == 0 && pending.line.hasPrefix("submitted: repay"))
        let refused = TxReport(
            failure: ClientError(ClientError.Code(rawValue: "mempool.full"), "full", httpStatus: 429), id: id,
            kind: "repay")
        #expect(refused.line == "refused by the node (HTTP 429): mempool.full: full")
        #expect(refused.exitCode == 1)
        let unreachable = TxReport(failure: ClientError(.unreachable, "connection refused"), id: nil, kind: "repay")
        #expect(unreachable.exitCode == 2)
        #expect(TxReport(failure: ClientError(.timeout, "no block"), id: id, kind: "repay").exitCode == 2)
        #expect(
            TxReport(
                failure: ClientError(ClientError.Code(rawValue: "store.unavailable"), "x", httpStatus: 503), id: id,
                kind: "repay"
            )
            .exitCode == 2)
    }

    /// `facet sim` still runs the consensus simulation by default; `facet sim ledger` runs the seeded attacker, and a
    /// short run passes its oracle.
    @Test func simRunsConsensusByDefaultAndTheLedgerAttackerOnRequest() throws {
        #expect(try Facet.parseAsRoot(["sim", "--seeds", "2"]) is SimConsensus)
        #expect(try Facet.parseAsRoot(["sim", "consensus", "--seeds", "2"]) is SimConsensus)
        let ledger = try #require(
            try Facet.parseAsRoot(["sim", "ledger", "--seeds", "1", "--transactions", "2000", "--block-size", "50"])
                as? SimLedger)
        #expect(ledger.transactions == 2_000 && ledger.blockSize == 50)
        try ledger.run()
        #expect(exitStatus(["sim", "ledger", "--block-size", "0"]) == 64)
    }
}
