import FacetCore
import FacetLedger
import FacetSimulation
import Foundation

/// One pre-signed submission: the whole HTTP request (so the timed loop only writes bytes) and the id the blocks
/// report it under.
package struct BenchLedgerRequest: Sendable {
    /// The transaction's canonical bytes, hex-encoded as the API takes them.
    package let hex: String
    package let id: String

    /// `POST /v1/transactions` for one transaction, or `POST /v1/transactions/batch` for several, keep-alive.
    package static func http(_ requests: ArraySlice<BenchLedgerRequest>) -> [UInt8] {
        let path: String
        var body: String
        if requests.count == 1, let only = requests.first {
            path = "/v1/transactions"
            body = #"{"transaction":""# + only.hex + #""}"#
        } else {
            path = "/v1/transactions/batch"
            body = #"{"transactions":["#
            body.reserveCapacity(requests.reduce(32) { $0 + $1.hex.utf8.count + 3 })
            for (position, request) in requests.enumerated() {
                if position > 0 { body += "," }
                body += "\"" + request.hex + "\""
            }
            body += "]}"
        }
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Accept: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }
}

/// One client's transactions for `facet bench ledger`: its signers take turns (position p is signed by signer
/// p mod S with nonce p / S + 1, so any prefix of the stream is a gap-free sequence per signer), and the kind
/// follows a 16-round pattern: invoices to a named buyer, retail invoices, pieces, reference prices, and the
/// buyer's confirmation of the invoice issued 8 rounds earlier (so it is queued well after the invoice).
package struct BenchLedgerStream {
    /// Which body each round's transactions carry, by round mod 16.
    private enum Kind { case invoice, retail, piece, price, confirm }
    private static let pattern: [Kind] = [
        .invoice, .piece, .invoice, .retail, .piece, .invoice, .price, .piece,
        .confirm, .piece, .confirm, .retail, .piece, .confirm, .invoice, .piece,
    ]
    package static let confirmLag = 8

    package let chainID: Label
    package let client: Int
    package let keys: [SigningKey]
    package let ids: [MemberID]
    package let due: Timestamp
    package private(set) var produced = 0
    /// Invoices to a named buyer, by position, until their buyer confirms them.
    private var open = [Int: InvoiceID]()

    package init(chainID: Label, client: Int, keys: [SigningKey], due: Timestamp) {
        precondition(keys.count >= 2, "an invoice's buyer is another signer of the same client")
        self.chainID = chainID
        self.client = client
        self.keys = keys
        self.ids = keys.map { MemberID(initialKey: $0.publicKey) }
        self.due = due
        precondition(Self.pattern[Self.confirmLag] == .confirm && Self.pattern[0] == .invoice, "confirms lag invoices")
    }

    /// The signers' keys of client `client`, derived from fixed names so every run signs the same bodies.
    package static func keys(client: Int, signers: Int) -> [SigningKey] {
        (0..<signers).map { LedgerFixture.key(seed: 7, name: "bench-ledger-\(client)-\($0)") }
    }

    /// The next transaction, ready to submit.
    package mutating func next() -> BenchLedgerRequest {
        let bytes = nextTransaction().canonicalBytes
        return BenchLedgerRequest(hex: Hex.encode(bytes), id: TransactionID(SHA256Hash.digest(bytes)).hex)
    }

    /// The next transaction of the stream.
    package mutating func nextTransaction() -> Transaction {
        let position = produced
        produced += 1
        let signers = keys.count
        let signer = position % signers
        let round = position / signers
        let body = body(position: position, signer: signer, round: round)
        let transaction = Transaction.signed(
            chainID: chainID, signer: ids[signer], nonce: UInt64(round + 1), body: body, key: keys[signer])
        if case .issueInvoice(let invoice) = body, invoice.buyer != nil {
            open[position] = InvoiceID(TransactionID(SHA256Hash.digest(transaction.canonicalBytes)).hash)
        }
        return transaction
    }

    /// The bench chain's genesis: an admin, the validators, and every client's signers as firms that may also
    /// publish reference prices.
    package static func genesis(validatorKeys: [SigningKey], signerKeys: [[SigningKey]], time: Timestamp) -> Genesis {
        let admin = LedgerFixture.key(seed: 7, name: "bench-ledger-admin")
        var members = [GenesisMember(name: "Admin", roles: [.admin], publicKey: admin.publicKey)]
        for (index, key) in validatorKeys.enumerated() {
            members.append(GenesisMember(name: "Validator \(index)", roles: [.validator], publicKey: key.publicKey))
        }
        for (client, keys) in signerKeys.enumerated() {
            for (index, key) in keys.enumerated() {
                members.append(
                    GenesisMember(name: "Firm \(client)-\(index)", roles: [.firm, .exchange], publicKey: key.publicKey))
            }
        }
        return Genesis(params: LedgerParams(chainID: LedgerFixture.chainID), time: time, members: members)
    }

    private mutating func body(position: Int, signer: Int, round: Int) -> TransactionBody {
        let signers = keys.count
        let variety = Int64((position &* 7_919 &+ client &* 104_729) % 1_000_003)
        switch Self.pattern[round % Self.pattern.count] {
        case .invoice:
            return .issueInvoice(
                IssueInvoice(
                    buyer: ids[(signer + 1) % signers], amount: Self.cny(100_000 + variety * 37), dueAt: due,
                    pieces: [], channel: .wholesale))
        case .retail:
            return .issueInvoice(
                IssueInvoice(
                    buyer: nil, amount: Self.cny(5_000 + variety), dueAt: due, pieces: [],
                    channel: variety % 2 == 0 ? .retail : .livestream))
        case .piece:
            let card = IdentityCard(category: .gold, weight: UInt64(1_000 + variety % 500_000), fineness: 999)
            return .registerPiece(RegisterPiece(card: card, certificate: nil))
        case .price:
            guard let band = try? Label(variety % 2 == 0 ? "AU9999-PER-G" : "AU750-PER-G") else {
                preconditionFailure("a short label")
            }
            return .publishPrice(
                PublishPrice(category: .gold, band: band, pricePerUnit: Self.cny(48_000 + variety % 997)))
        case .confirm:
            // The invoice the previous signer issued to this one, `confirmLag` rounds ago.
            let issuedAt = (round - Self.confirmLag) * signers + (signer + signers - 1) % signers
            guard let invoice = open.removeValue(forKey: issuedAt) else {
                preconditionFailure("the pattern issues an invoice \(Self.confirmLag) rounds before each confirm")
            }
            return .confirmInvoice(ConfirmInvoice(invoice: invoice))
        }
    }

    private static func cny(_ minorUnits: Int64) -> Money {
        guard let money = try? Money(minorUnits: minorUnits, currency: .cny) else {
            preconditionFailure("a small positive amount is valid")
        }
        return money
    }
}

extension BenchLedgerStream {
    /// Takes `counts[i]` items from stream `i` with `next`, every stream at once on all cores (signing is the cost).
    /// Returns the advanced streams and each stream's items, in its own order.
    package static func advance<Item>(
        _ streams: [BenchLedgerStream], counts: [Int], _ next: @Sendable (inout BenchLedgerStream) -> Item
    ) -> (streams: [BenchLedgerStream], items: [[Item]]) {
        precondition(streams.count == counts.count, "one count per stream")
        let results = BenchStreamResults<Item>(streams: streams)
        DispatchQueue.concurrentPerform(iterations: streams.count) { index in
            var stream = results.stream(index)
            var items = [Item]()
            items.reserveCapacity(counts[index])
            for _ in 0..<counts[index] { items.append(next(&stream)) }
            results.store(index, stream: stream, items: items)
        }
        return results.take()
    }
}

/// `advance`'s hand-over between the threads: each stream is taken out and put back under the lock only.
private final class BenchStreamResults<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [BenchLedgerStream]
    private var items: [[Item]]

    init(streams: [BenchLedgerStream]) {
        self.streams = streams
        self.items = Array(repeating: [], count: streams.count)
    }

    func stream(_ index: Int) -> BenchLedgerStream { lock.withLock { streams[index] } }

    func store(_ index: Int, stream: BenchLedgerStream, items: [Item]) {
        lock.withLock {
            streams[index] = stream
            self.items[index] = items
        }
    }

    func take() -> (streams: [BenchLedgerStream], items: [[Item]]) { lock.withLock { (streams, items) } }
}
