import FacetCore
import FacetLedger

/// How an adversarial run went: transactions offered, blocks, accepted, and refusals by code (`tx.already_decided`
/// counts the transactions refused at admission because a block already held their id).
public struct AdversaryCounts: Sendable, CustomStringConvertible {
    public var transactions = 0
    public var blocks = 0
    public var accepted = 0
    public var refusals: [String: Int] = [:]
    /// Refused transactions a block left out as over their signer's `RefusalCap`, offered again in the next block.
    public var deferred = 0

    public init() {}

    public mutating func add(_ other: AdversaryCounts) {
        transactions += other.transactions
        blocks += other.blocks
        accepted += other.accepted
        deferred += other.deferred
        for (code, count) in other.refusals { refusals[code, default: 0] += count }
    }

    public var refused: Int { refusals.values.reduce(0, +) }

    public var description: String {
        let codes = refusals.keys.sorted().map { "  \($0): \(refusals[$0] ?? 0)" }
        let totals =
            "transactions \(transactions), blocks \(blocks), accepted \(accepted), refused \(refused), deferred \(deferred)"
        return ([totals] + codes).joined(separator: "\n")
    }
}

/// A seeded attacker against the ledger's money rules. It mixes every kind of transaction, signed by any member
/// (against its role a third of the time), replays the exact bytes of refused transactions, publishes junk price
/// bands and extreme amounts, and plays the attacks of issue 15 in order: claim a full repayment then release and
/// pledge the piece elsewhere; repay, release or confirm on another bank's loan; suspend or reinstate with one
/// admin's vote; and floods blocks with one member's doomed transactions, which a block stores at most
/// `RefusalCap.perSignerPerBlock` of (the rest wait for the next block). Every block goes through `AdversaryOracle`. The consortium admits with two approvals and has three
/// admins. Signatures are left blank and trusted (it runs in memory, millions of transactions from the CLI).
public struct LedgerAdversary: Sendable {
    public let seed: UInt64
    public private(set) var simulation: LedgerSimulation
    public private(set) var oracle: AdversaryOracle
    public private(set) var counts = AdversaryCounts()
    private var rng: SeededRandom
    private var refused: [Transaction] = []
    private var planned: [Transaction] = []
    private let names: [String]

    public init(seed: UInt64) {
        self.seed = seed
        var fixture = LedgerFixture(
            seed: seed, params: LedgerParams(chainID: LedgerFixture.chainID, memberApprovals: 2),
            executor: BlockExecutor(signatures: TrustedSignatures()))
        fixture.signs = false
        let admin3 = fixture.addOutsider("admin3", roles: .admin)
        let register = fixture.sign(
            "admin", .registerMember(.init(name: "admin3", roles: .admin, publicKey: admin3.key.publicKey)))
        fixture.run([register])
        let approve = fixture.sign("admin2", .approveMember(.init(member: admin3.id)))
        fixture.run([approve])
        // The model `LedgerSimulation`'s offers name, so that loans open.
        guard let name = try? Label("adversary-model") else { preconditionFailure("a label") }
        let model = fixture.sign("lender", .registerModel(.init(modelHash: SHA256Hash.digest([1]), name: name)))
        fixture.run([model])
        precondition(fixture.state.record(Member.self, admin3.id.hash)?.status == .active, "admin3 is admitted")
        simulation = LedgerSimulation(seed: seed, fixture: fixture)
        simulation.recordsBlocks = false
        oracle = AdversaryOracle(state: fixture.state)
        rng = SeededRandom(seed: seed ^ 0xA77AC4)
        names = fixture.actors.keys.sorted()
    }

    public var state: WorldState { simulation.state }

    /// Offers `size` transactions, executes the block of those admitted and checks it. Returns the oracle's
    /// violations (empty when every rule held).
    public mutating func step(size: Int) -> [String] {
        if int(0...9) == 0 { simulation.advance(days: Int64(int(1...40))) }
        var block = [Transaction]()
        var ids = Set<TransactionID>()
        for _ in 0..<size {
            let transaction = next()
            counts.transactions += 1
            let id = transaction.id
            // Admission: the ledger already ruled on these bytes (a block holds them).
            guard !oracle.stored.contains(id), ids.insert(id).inserted else {
                counts.refusals[LedgerError.Code.alreadyDecided.rawValue, default: 0] += 1
                continue
            }
            block.append(transaction)
        }
        let before = simulation.state
        let (stored, outcome) = simulation.executeCapped(block)
        counts.blocks += 1
        // What the block left out waits for the next one, as in a proposer's pool.
        let left = Set(stored.map(\.id))
        let deferred = block.filter { !left.contains($0.id) }
        counts.deferred += deferred.count
        planned.insert(contentsOf: deferred, at: 0)
        for (transaction, result) in zip(stored, outcome.results) {
            guard let error = result.error else {
                counts.accepted += 1
                continue
            }
            counts.refusals[error.code.rawValue, default: 0] += 1
            if refused.count >= 512 { refused.removeFirst(256) }
            refused.append(transaction)
        }
        return oracle.check(before: before, block: stored, outcome: outcome, after: simulation.state)
    }

    // MARK: Choosing transactions

    private mutating func int<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> T { T.random(in: range, using: &rng) }
    private mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0...items.count - 1)] }
    private mutating func anyone() -> String { pick(names)! }

    private mutating func next() -> Transaction {
        if !planned.isEmpty { return planned.removeFirst() }
        switch int(0...99) {
        case 0..<8: if let replay = pick(refused) { return replay }
        case 8..<14: planAttack()
        case 14..<44: return simulation.sign(anyone(), simulation.randomTransaction().body)
        case 44..<48: return junkPrice()
        case 48..<52: return extremeAmount()
        default: break
        }
        if !planned.isEmpty { return planned.removeFirst() }
        return simulation.randomTransaction()
    }

    private mutating func money(_ minorUnits: Int64) -> Money {
        guard let value = try? Money(minorUnits: minorUnits, currency: .cny) else { preconditionFailure("in range") }
        return value
    }

    private mutating func label(_ text: String) -> Label {
        guard let label = try? Label(text) else { preconditionFailure("\(text) is a label") }
        return label
    }

    /// A price under a band that bends a valuation (`!`, a lowest-sorting label, a wrong unit), or a valid one.
    private mutating func junkPrice() -> Transaction {
        let bands = [
            "!", "0", "1CT-G-VS2-PER-CT", "1.0CT-G-VS2-PER-CT", "1CT-Z-VS2-PER-CT", "AU9999-PER-G", "AU9999-PER-CT",
            "AU1000-PER-G", "TYPE-A-PER-G", "PER-PER-G", "-PER-G", "0.01CT-K-I1-PER-CT", "99.99CT-D-FL-PER-CT",
        ]
        let body = PublishPrice(
            category: pick(PieceCategory.allCases)!, band: label(pick(bands)!),
            pricePerUnit: money(int(1...Limits.maxAmountMinorUnits)))
        return simulation.sign(int(0...3) == 0 ? anyone() : "exchange", .publishPrice(body))
    }

    /// Amounts at the limit, where a sum would overflow if anything added them unchecked.
    private mutating func extremeAmount() -> Transaction {
        let huge = money(Limits.maxAmountMinorUnits - Int64(int(0...1)))
        let loan = pick(simulation.loanIDs) ?? LoanID(.zero)
        let borrower = state.record(Loan.self, loan.hash).flatMap { simulation.actorName(of: $0.borrower) }
        switch int(0...3) {
        case 0:
            return simulation.sign(
                pick(["firmA", "firmB"])!,
                .issueInvoice(
                    .init(
                        buyer: simulation.fixture.id("firmC"), amount: huge,
                        dueAt: Timestamp(uncheckedMillis: simulation.fixture.time.millis + Timestamp.millisPerDay),
                        pieces: [], channel: .wholesale)))
        case 1: return simulation.sign(borrower ?? anyone(), .repay(.init(loan: loan, amount: huge)))
        case 2:
            return simulation.sign(
                "guarantor", .guarantee(.init(loan: loan, coverageBasisPoints: 10_000, fee: huge)))
        default:
            let claim = TransactionID(pick(simulation.loanIDs)?.hash ?? .zero)
            return simulation.sign(anyone(), .confirmRepayment(.init(claim: claim)))
        }
    }

    /// Queues one of the issue's attacks, played in order over the next transactions.
    private mutating func planAttack() {
        switch int(0...9) {
        case 0...2: planDoublePledge()
        case 3...5: planForeignBank()
        case 6...8: planLoneAdmin()
        default: planFlood()
        }
    }

    /// One member signs more transactions bound to fail than a block may store refusals of it.
    private mutating func planFlood() {
        let flooder = anyone()
        for _ in 0..<(RefusalCap.perSignerPerBlock + int(1...8)) {
            let invoice = InvoiceID(Hash256(bytes: rng.bytes(32)))
            planned.append(simulation.sign(flooder, .confirmInvoice(.init(invoice: invoice))))
        }
    }

    /// The borrower claims its whole debt, releases a piece itself and pledges it to another of its loans.
    private mutating func planDoublePledge() {
        let active = simulation.loanIDs.compactMap { state.record(Loan.self, $0.hash) }.filter {
            $0.status == .active && !$0.collateral.isEmpty
        }
        guard let loan = pick(active), let borrower = simulation.actorName(of: loan.borrower),
            let item = pick(loan.collateral)
        else { return }
        let other = simulation.loanIDs.compactMap { state.record(Loan.self, $0.hash) }.filter {
            $0.borrower == loan.borrower && $0.id != loan.id
        }
        planned.append(simulation.sign(borrower, .repay(.init(loan: loan.id, amount: loan.outstanding))))
        planned.append(simulation.sign(borrower, .release(.init(loan: loan.id, collateral: item))))
        if let second = pick(other) {
            planned.append(simulation.sign(borrower, .pledge(.init(loan: second.id, collateral: item))))
        }
    }

    /// A bank, or the other lender, acts on a loan it did not make.
    private mutating func planForeignBank() {
        guard let id = pick(simulation.loanIDs), let loan = state.record(Loan.self, id.hash) else { return }
        let strangers = ["bank", "lender", "lender2", "guarantor"].filter { simulation.fixture.id($0) != loan.lender }
        let stranger = pick(strangers)!
        planned.append(simulation.sign(stranger, .repay(.init(loan: id, amount: loan.outstanding))))
        if let item = pick(loan.collateral) {
            planned.append(simulation.sign(stranger, .release(.init(loan: id, collateral: item))))
        }
        planned.append(simulation.sign(stranger, .declareDefault(.init(loan: id))))
    }

    /// One admin suspends or reinstates another member, an admin half the time, alone or joined by a second.
    private mutating func planLoneAdmin() {
        let admins = ["admin", "admin2", "admin3"]
        let voter = pick(admins)!
        let target = int(0...1) == 0 ? pick(admins.filter { $0 != voter })! : pick(["firmA", "firmB", "bank"])!
        let member = simulation.fixture.id(target)
        let suspended = state.record(Member.self, member.hash)?.status == .suspended
        let body: TransactionBody =
            suspended ? .reinstateMember(.init(member: member)) : .suspendMember(.init(member: member, reason: "x"))
        planned.append(simulation.sign(voter, body))
        if int(0...2) == 0 { planned.append(simulation.sign(pick(admins.filter { $0 != voter })!, body)) }
    }
}
