import FacetCore
import FacetLedger

/// What must hold after every block whatever anyone signs, checked from the outside: it reads the block, its results
/// and the states before and after, never the contracts' own reasoning. One line per violation.
///
/// - no piece or invoice secures two loans (tracked from the loans' own lists, not from the items' pointers);
/// - no loan owes less, is repaid or frees collateral unless its lender signed an accepted transaction on it in the
///   block (a receipt, a confirmation or a release), except the borrower releasing from a loan its lender repaid;
/// - no member's status changes without `memberApprovals` distinct admins' votes, and active admins never fall
///   below that quorum;
/// - every stored price band is in its category's grammar (written here again, as regular expressions);
/// - every amount stays within `Limits.maxAmountMinorUnits`, and what a loan owes within its principal;
/// - no transaction id is stored (included in a block) twice.
public struct AdversaryOracle: Sendable {
    public let quorum: Int
    /// Every transaction id included in a block so far.
    public private(set) var stored: Set<TransactionID> = []
    private var securedBy: [Collateral: Set<LoanID>] = [:]
    private var votes: [VoteKey: Set<MemberID>] = [:]
    private var activeAdmins: Set<MemberID> = []

    struct VoteKey: Hashable, Sendable {
        let member: MemberID
        let change: StatusChange
    }

    public init(state: WorldState) {
        quorum = Int(state.params.memberApprovals)
        for case .member(let member) in state.records.values where Self.isActiveAdmin(member) {
            activeAdmins.insert(member.id)
        }
    }

    static func isActiveAdmin(_ member: Member) -> Bool { member.status == .active && member.roles.contains(.admin) }

    /// Checks one committed block: `before` is the state it was executed on, `after` the state it produced.
    public mutating func check(
        before: WorldState, block: [Transaction], outcome: BlockOutcome, after: WorldState
    ) -> [String] {
        var problems = [String]()
        for transaction in block {
            if !stored.insert(transaction.id).inserted { problems.append("transaction \(transaction.id) stored twice") }
        }
        let accepted = zip(block, outcome.results).filter { $0.1.accepted }.map(\.0)
        problems += Self.refusalsOverCap(block, outcome.results)
        tallyVotes(accepted, before: before)
        problems += trackCollateral(outcome.changes, before: before)
        for change in outcome.changes {
            switch change.value {
            case .loan(let loan)?:
                problems += check(loan: loan, was: before.record(Loan.self, change.key.id), accepted, after)
            case .member(let member)?:
                problems += check(member: member, was: before.record(Member.self, change.key.id))
            case .price(let price)?:
                if !Self.inGrammar(price.band.description, price.category) {
                    problems.append("price band \(price.band) of \(price.category) stored outside the grammar")
                }
                problems += bounded(price.pricePerUnit, "price \(price.band)")
            case .invoice(let invoice)?:
                problems += bounded(invoice.amount, "invoice \(invoice.id)") + bounded(invoice.paid, "invoice paid")
            case .repaymentClaim(let claim)?:
                problems += bounded(claim.amount, "claim \(claim.id)")
            default: break
            }
        }
        if activeAdmins.count < quorum {
            problems.append("\(activeAdmins.count) active admins, fewer than the quorum of \(quorum)")
        }
        return problems
    }

    private func bounded(_ money: Money, _ what: String) -> [String] {
        abs(money.minorUnits) <= Limits.maxAmountMinorUnits ? [] : ["\(what) holds \(money), beyond any amount"]
    }

    // MARK: Loans

    private mutating func check(loan: Loan, was old: Loan?, _ accepted: [Transaction], _ after: WorldState)
        -> [String]
    {
        var problems = bounded(loan.principal, "loan \(loan.id)") + bounded(loan.outstanding, "loan outstanding")
        if loan.outstanding.minorUnits < 0 || loan.outstanding.minorUnits > loan.principal.minorUnits {
            problems.append("loan \(loan.id) owes \(loan.outstanding) of \(loan.principal)")
        }
        guard let old else { return problems }
        let lenderActs = accepted.filter { $0.signer == loan.lender && Self.touches($0.body, loan.id, after) }
        let lowered = loan.outstanding.minorUnits < old.outstanding.minorUnits
        if (lowered || (loan.status == .repaid && old.status != .repaid)) && lenderActs.isEmpty {
            problems.append("loan \(loan.id) owes \(loan.outstanding) (was \(old.outstanding)) without its lender")
        }
        if loan.outstanding.minorUnits > old.outstanding.minorUnits {
            problems.append("loan \(loan.id) owes more than before: \(old.outstanding) → \(loan.outstanding)")
        }
        let repaidByLender = old.status == .repaid || (loan.status == .repaid && !lenderActs.isEmpty)
        for item in old.collateral where !loan.collateral.contains(item) {
            let freedBy = accepted.filter {
                guard case .release(let body) = $0.body else { return false }
                return body.loan == loan.id && body.collateral == item
            }
            let allowed = freedBy.contains {
                $0.signer == loan.lender || ($0.signer == loan.borrower && repaidByLender)
            }
            if !allowed { problems.append("\(item) freed from loan \(loan.id) without its lender's word") }
        }
        return problems
    }

    /// Moves the block's changed loans' items in the item → loans map (all removals, then all additions, as the block
    /// is one step), then reports any item that more than one loan lists.
    private mutating func trackCollateral(_ changes: [StateChange], before: WorldState) -> [String] {
        var listed = [Collateral]()
        for change in changes where change.key.table == .loan {
            for item in before.record(Loan.self, change.key.id)?.collateral ?? [] {
                securedBy[item]?.remove(LoanID(change.key.id))
            }
        }
        for change in changes {
            guard case .loan(let loan)? = change.value else { continue }
            for item in loan.collateral {
                securedBy[item, default: []].insert(loan.id)
                listed.append(item)
            }
        }
        return listed.compactMap { item in
            guard let loans = securedBy[item], loans.count > 1 else { return nil }
            return "\(item) secures \(loans.count) loans: \(loans.sorted())"
        }
    }

    /// Whether a transaction acts on `loan` (directly, or through one of its repayment claims).
    static func touches(_ body: TransactionBody, _ loan: LoanID, _ state: WorldState) -> Bool {
        switch body {
        case .repay(let body): return body.loan == loan
        case .release(let body): return body.loan == loan
        case .confirmRepayment(let body): return state.record(RepaymentClaim.self, body.claim.hash)?.loan == loan
        default: return false
        }
    }

    // MARK: Members

    private mutating func tallyVotes(_ accepted: [Transaction], before: WorldState) {
        for transaction in accepted {
            let vote: VoteKey
            switch transaction.body {
            case .suspendMember(let body): vote = VoteKey(member: body.member, change: .suspend)
            case .reinstateMember(let body): vote = VoteKey(member: body.member, change: .reinstate)
            default: continue
            }
            votes[vote, default: []].insert(transaction.signer)
        }
    }

    private mutating func check(member: Member, was old: Member?) -> [String] {
        var problems = [String]()
        if Self.isActiveAdmin(member) { activeAdmins.insert(member.id) } else { activeAdmins.remove(member.id) }
        let status = old?.status
        if member.status == .active && (status == nil || status == .pending) && member.approvals.count < quorum {
            problems.append("member \(member.id) admitted with \(member.approvals.count) approvals")
        }
        if status == .pending || status == nil || status == member.status { return problems }
        let change: StatusChange = member.status == .suspended ? .suspend : .reinstate
        let voters = votes[VoteKey(member: member.id, change: change)]?.count ?? 0
        if voters < quorum {
            problems.append("member \(member.id) \(change) by \(voters) admins, the quorum is \(quorum)")
        }
        // The votes spent on this change. Votes for the opposite change stay: some may have been cast after the change
        // within the block (the ledger keeps those), so keeping them all errs on the lenient side, never on a false
        // alarm.
        votes[VoteKey(member: member.id, change: change)] = nil
        return problems
    }

    // MARK: Prices

    nonisolated(unsafe) static let grammars: [PieceCategory: Regex<AnyRegexOutput>] = {
        let carats = #"(0\.([1-9]|[0-9][1-9])|[1-9][0-9]?(\.([1-9]|[0-9][1-9]))?)"#
        let diamond = carats + #"CT-[D-K]-(FL|IF|VVS1|VVS2|VS1|VS2|SI1|SI2|I1)-PER-CT"#
        let fineness = #"([1-9][0-9]{2}|9[0-9]{3})"#
        let patterns: [PieceCategory: String] = [
            .gold: "AU" + fineness + "-PER-G", .platinum: "PT" + fineness + "-PER-G",
            .naturalDiamond: diamond, .labGrownDiamond: diamond,
            .coloredStone: #"([A-Z0-9]+-){1,4}PER-CT"#, .jadeite: #"([A-Z0-9]+-){1,4}PER-G"#,
            .pearl: #"([A-Z0-9]+-){1,4}PER-G"#, .crystal: #"([A-Z0-9]+-){1,4}PER-G"#,
        ]
        return patterns.mapValues { pattern in
            guard let regex = try? Regex(pattern) else { preconditionFailure("bad pattern \(pattern)") }
            return regex
        }
    }()

    /// A signer with more refusals stored in the block than `RefusalCap.perSignerPerBlock`, counted independently
    /// of `RefusalCap.excess`.
    public static func refusalsOverCap(_ block: [Transaction], _ results: [TransactionResult]) -> [String] {
        var refusals = [MemberID: Int]()
        for (transaction, result) in zip(block, results) where !result.accepted {
            refusals[transaction.signer, default: 0] += 1
        }
        return refusals.keys.sorted().compactMap { signer in
            let count = refusals[signer] ?? 0
            return count > RefusalCap.perSignerPerBlock
                ? "\(signer) has \(count) refusals stored in one block, over \(RefusalCap.perSignerPerBlock)" : nil
        }
    }

    /// The band grammar of `contracts/transactions.md`, independently of `PriceBandGrammar`.
    public static func inGrammar(_ band: String, _ category: PieceCategory) -> Bool {
        guard let regex = grammars[category], (try? regex.wholeMatch(in: band)) != nil else { return false }
        // A name's words are never PER (only the unit's marker is).
        return band.split(separator: "-").filter { $0 == "PER" }.count == 1
    }
}
