import FacetCore
import FacetDemo
import FacetLedger
import Testing

/// Warehouse custody and audits, disputes, the circular-trading ring and partial loan repayments, as the ledger
/// records them after executing a small history.
@Suite struct HistoryActivityTests {
    /// Long enough for quarterly audits, loans to mature and disputes to appear; a high default rate so some
    /// defaults follow a partial repayment.
    static func history() throws -> DemoHistory.Run {
        try DemoHistory.run(firms: 30, months: 8, seed: 31, defaultRatePermille: 250)
    }

    @Test func everyNewKindIsGeneratedAndAccepted() throws {
        let run = try Self.history()
        #expect(run.refusals.isEmpty, "\(run.refusals.prefix(20).joined(separator: "\n"))")
        #expect(run.refused.count == 1 && run.refused.first?.id == run.generator.doublePledge?.transaction)
        for kind in ["custody_in", "custody_out", "stock_audit", "raise_dispute", "resolve_dispute", "repay"] {
            #expect((run.accepted[kind] ?? 0) > 0, "no accepted \(kind)")
        }
        let open = run.state.records.values.filter { value in
            if case .dispute(let dispute) = value { return dispute.outcome == nil }
            return false
        }.count
        #expect(run.accepted["resolve_dispute"] == (run.accepted["raise_dispute"] ?? 0) - open)
    }

    @Test func piecesInCustodyAreAuditedAndSomeSecureLoans() throws {
        let run = try Self.history()
        let pieces = run.state.records.values.compactMap { value -> Piece? in
            if case .piece(let piece) = value { return piece }
            return nil
        }
        let held = pieces.filter { $0.custody != nil }
        #expect(!held.isEmpty)
        #expect(held.allSatisfy { $0.status == .active })
        #expect(held.contains { $0.lastAudit != nil })
        #expect(held.contains { $0.pledgedTo != nil }, "no piece in custody secures a loan")
        let warehouses = Set(run.generator.consortium.founders(with: .warehouse).map(\.id))
        #expect(Set(held.compactMap(\.custody?.warehouse)).isSubset(of: warehouses))
    }

    /// A poorer seller's dispute may wait up to three months more, so only the last months' may still be open.
    @Test func everyDisputeIsResolvedWithinThreeMonthsAndItsInvoiceSettledByTheContract() throws {
        let run = try Self.history()
        var disputes = [Dispute]()
        var invoices = [InvoiceID: Invoice]()
        for value in run.state.records.values {
            if case .dispute(let dispute) = value { disputes.append(dispute) }
            if case .invoice(let invoice) = value { invoices[invoice.id] = invoice }
        }
        #expect(!disputes.isEmpty)
        let alliance = run.generator.consortium.founder("alliance").id
        let consortium = run.generator.consortium
        let lastMonths = consortium.start.millis
            + Int64(consortium.settings.months - 4) * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay
        let waited = disputes.filter { dispute in
            dispute.resolvedAt.map { $0.millis - dispute.raisedAt.millis > 20 * Timestamp.millisPerDay } == true
        }
        #expect(!waited.isEmpty, "some disputes wait past the month they were raised in")
        for dispute in disputes {
            let invoice = try #require(invoices[dispute.invoice])
            guard dispute.outcome != nil else {
                #expect(dispute.raisedAt.millis >= lastMonths, "an open dispute of the last four months")
                #expect(invoice.openDispute == dispute.id)
                continue
            }
            #expect(dispute.resolvedBy == alliance)
            #expect(invoice.openDispute == nil)
            switch try #require(dispute.outcome) {
            case .cancelled: #expect(invoice.cancelled && invoice.confirmedAt == nil)
            case .dismissed, .adjusted: #expect(!invoice.cancelled && invoice.confirmedAt != nil)
            }
        }
    }

    @Test func theRingIsInTheGroundTruthAndConfirmsAndPaysItsCircularInvoices() throws {
        let run = try Self.history()
        let generator = run.generator
        #expect((3...5).contains(generator.ring.count))
        let truth = generator.groundTruth
        let members = truth.firms.filter { $0.ring != nil }
        #expect(Set(members.map(\.id)) == Set(generator.ring.map { generator.firms[$0].id.hex }))
        #expect(members.allSatisfy { $0.misbehaving })
        #expect(Set(members.map(\.cluster)).count == 1)
        let decoded = try GroundTruth.decode(truth.encoded())
        #expect(decoded == truth)
        #expect(!generator.ringInvoices.isEmpty)
        let ringIDs = Set(generator.ring.map { generator.firms[$0].id })
        for id in generator.ringInvoices {
            guard case .invoice(let invoice) = run.state.records[StateKey(.invoice, id.hash)] else {
                Issue.record("ring invoice \(id) is not on the ledger")
                continue
            }
            #expect(ringIDs.contains(invoice.seller) && invoice.buyer.map(ringIDs.contains) == true)
            #expect(invoice.confirmedAt != nil && invoice.paid == invoice.amount)
        }
    }

    @Test func someLoansAreRepaidInInstallments() throws {
        let run = try Self.history()
        let truth = run.generator.groundTruth
        let closed = truth.loans.filter { $0.outcome == .repaid || $0.outcome == .late }.count
        // One `repay` closes each repaid loan; any more are installments, of repaid or of defaulted loans.
        #expect((run.accepted["repay"] ?? 0) > closed, "no partial repayment among \(closed) repaid loans")
        let loans = run.state.records.values.compactMap { value -> Loan? in
            if case .loan(let loan) = value { return loan }
            return nil
        }
        #expect(loans.filter { $0.status == .repaid }.count == closed)
        #expect(loans.filter { $0.status == .repaid }.allSatisfy { !$0.outstanding.isPositive })
    }
}
