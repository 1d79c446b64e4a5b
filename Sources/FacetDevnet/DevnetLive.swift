import FacetClient
import FacetCore
import FacetDemo
import FacetLedger
import Foundation
import ServiceLifecycle
import Synchronization

/// The devnet's live activity once the history is in: every few seconds one of the demo's members does something
/// through a validator's HTTP API, as a member's own software would. Firms sell wholesale to one another (the buyer
/// confirms a few seconds later, then pays), sell retail and by livestream, register new pieces, and the exchanges
/// move their reference prices. Nonces only have to increase per signer, so each is the wall clock's
/// milliseconds (above every nonce of the history, which counts from 1).
package struct DevnetLive {
    package let consortium: DemoConsortium
    package let firms: [DemoMember]
    package let clients: [NodeClient]
    package let every: Duration
    /// Each reference series' price where the history left it, in minor units per unit.
    package let prices: [Int64]

    /// What the activity did so far, for the status line.
    package struct Counts {
        package var submitted = 0
        package var refused = 0
        package var unreachable = 0
    }

    /// An action due at `at`: a body for `member` to sign then, and whether it is a wholesale invoice whose buyer
    /// confirms and pays it later.
    private struct Due {
        let at: ContinuousClock.Instant
        let member: DemoMember
        let body: TransactionBody
        var buyer: DemoMember? = nil
    }

    package init(consortium: DemoConsortium, prices: [Int64], clients: [NodeClient], every: Duration) {
        self.consortium = consortium
        self.prices =
            prices.count == consortium.seed.prices.count ? prices : consortium.seed.prices.map(\.startMinorPerUnit)
        // The firms that are members by the end of the history (firm keys follow from the seed and the name).
        let generator = HistoryGenerator(consortium: consortium)
        self.firms = generator.firms.filter { $0.joinMonth < consortium.settings.months }.map(\.member)
        self.clients = clients
        self.every = every
    }

    /// Runs until the devnet's service group shuts down; `report` gets the counts after each action.
    package func run(report: @escaping @Sendable (Counts) -> Void) async {
        guard firms.count >= 2, !clients.isEmpty else { return }
        var random = SystemRandomNumberGenerator()
        var counts = Counts()
        var due = [Due]()
        var lastNonce = [MemberID: UInt64]()
        var next = ContinuousClock.now + every
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            let now = ContinuousClock.now
            if now >= next {
                next = now + every
                due.append(plan(&random))
            }
            let ready = due.filter { $0.at <= now }
            due.removeAll { $0.at <= now }
            for action in ready {
                // Signed when sent: a nonce must exceed every nonce of the signer already used.
                let nonce = max(UInt64(max(NodeClient.systemMillis(), 0)), (lastNonce[action.member.id] ?? 0) + 1)
                lastNonce[action.member.id] = nonce
                let transaction = Transaction.signed(
                    chainID: consortium.chainID, signer: action.member.id, nonce: nonce, body: action.body,
                    key: action.member.signingKey)
                let client = clients[Int.random(in: 0..<clients.count, using: &random)]
                do {
                    _ = try await client.submit(transaction)
                    counts.submitted += 1
                    if let buyer = action.buyer, case .issueInvoice(let issued) = action.body {
                        let invoice = InvoiceID(transaction.id.hash)
                        due.append(
                            Due(at: now + .seconds(4), member: buyer, body: .confirmInvoice(.init(invoice: invoice))))
                        due.append(
                            Due(
                                at: now + .seconds(12), member: buyer,
                                body: .payInvoice(PayInvoice(invoice: invoice, amount: issued.amount))))
                    }
                } catch {
                    if error.nodeUnavailable { counts.unreachable += 1 } else { counts.refused += 1 }
                }
                report(counts)
            }
        }
    }

    /// The next action: a wholesale sale (4 in 10), a retail or livestream sale (2 in 10), a new piece (3 in 10)
    /// or a reference price (1 in 10).
    private func plan(_ random: inout SystemRandomNumberGenerator) -> Due {
        let now = ContinuousClock.now
        let seller = firms[Int.random(in: 0..<firms.count, using: &random)]
        var buyer = firms[Int.random(in: 0..<firms.count, using: &random)]
        while buyer.id == seller.id { buyer = firms[Int.random(in: 0..<firms.count, using: &random)] }
        let amount = Int64.random(in: 50_000...3_000_000, using: &random) * 100
        let today = Timestamp(uncheckedMillis: NodeClient.systemMillis())
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4:
            let invoice = IssueInvoice(
                buyer: buyer.id, amount: money(amount), dueAt: today.adding(days: 30), pieces: [], channel: .wholesale)
            return Due(at: now, member: seller, body: .issueInvoice(invoice), buyer: buyer)
        case 4..<6:
            let channel: SalesChannel = Bool.random(using: &random) ? .retail : .livestream
            let invoice = IssueInvoice(
                buyer: nil, amount: money(amount / 10), dueAt: today.adding(days: 1), pieces: [], channel: channel)
            return Due(at: now, member: seller, body: .issueInvoice(invoice))
        case 6..<9:
            let milligrams = UInt64.random(in: 5_000...150_000, using: &random)
            let card = IdentityCard(category: .gold, weight: milligrams, fineness: 999, description: "bangle")
            return Due(at: now, member: seller, body: .registerPiece(RegisterPiece(card: card, certificate: nil)))
        default:
            // A reference price moves (the seed file was validated to hold at least one series).
            let index = Int.random(in: 0..<consortium.seed.prices.count, using: &random)
            let series = consortium.seed.prices[index]
            guard let category = consortium.seed.category(series.category), let band = try? Label(series.band) else {
                preconditionFailure("the seed's prices were validated")
            }
            let move = Int64.random(in: 985...1_015, using: &random)
            let body = PublishPrice(
                category: category, band: band, pricePerUnit: money(max(1, prices[index] * move / 1000)))
            return Due(at: now, member: consortium.founder(series.exchange), body: .publishPrice(body))
        }
    }

    private func money(_ minorUnits: Int64) -> Money {
        guard let money = try? Money(minorUnits: minorUnits, currency: consortium.currency) else {
            preconditionFailure("live amounts stay within Money's range")
        }
        return money
    }
}

/// The live activity as a `Service` of the devnet's group: it waits until the watch opens `start` (the validators
/// serve and the summary is out), then acts until the group shuts down; a closed `start` ends it at once.
package struct DevnetLiveService: Service {
    package let live: DevnetLive
    package let start: DevnetStart
    package let counts: LiveCounts

    package init(live: DevnetLive, start: DevnetStart, counts: LiveCounts) {
        self.live = live
        self.start = start
        self.counts = counts
    }

    package func run() async {
        guard await start.wait() else { return }
        await live.run { [counts] in counts.set($0) }
    }
}

/// Whether the live activity may start: nil until the watch decides, then true (the validators serve) or false.
package final class DevnetStart: Sendable {
    private let decided = Mutex<Bool?>(nil)

    package init() {}

    package func decide(_ go: Bool) { decided.withLock { $0 = go } }

    /// Until the watch decides (true: start) or the group shuts down (false).
    package func wait() async -> Bool {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if let go = decided.withLock({ $0 }) { return go }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
