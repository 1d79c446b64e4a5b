import FacetCore
import FacetLedger

/// Invariants that must hold in every committed state, whatever transactions got there. Returns one line per
/// violation; an empty list means the state is sound. Iterates records in key order so reports are stable.
public enum StateChecker {
    public static func violations(_ state: WorldState) -> [String] {
        var problems = [String]()
        var pledgedBy = [Collateral: LoanID]()
        let keys = state.records.keys.sorted()
        for key in keys {
            guard let value = state.records[key] else { continue }
            switch value {
            case .loan(let loan):
                problems += check(loan: loan, state: state)
                for item in loan.collateral {
                    if let other = pledgedBy[item] {
                        problems.append("\(item) is pledged to both \(other) and \(loan.id)")
                    }
                    pledgedBy[item] = loan.id
                }
            case .piece(let piece): problems += check(piece: piece, state: state)
            case .invoice(let invoice): problems += check(invoice: invoice, state: state)
            case .member(let member):
                if case .publicKeyIndex(let owner)? = state[StateKey(.publicKeyIndex, member.publicKey.raw)],
                    owner == member.id
                {
                } else {
                    problems.append("member \(member.id)'s key is not indexed to it")
                }
            default: break
            }
        }
        return problems
    }

    private static func check(loan: Loan, state: WorldState) -> [String] {
        var problems = [String]()
        if loan.outstanding.minorUnits < 0 || loan.outstanding.minorUnits > loan.principal.minorUnits {
            problems.append("loan \(loan.id) outstanding \(loan.outstanding) outside 0...\(loan.principal)")
        }
        if loan.status == .repaid && loan.outstanding.minorUnits != 0 {
            problems.append("loan \(loan.id) is repaid with \(loan.outstanding) outstanding")
        }
        if loan.guaranteedBasisPoints > Limits.maxBasisPoints {
            problems.append("loan \(loan.id) is guaranteed beyond 100%")
        }
        if loan.collateral != loan.collateral.canonicalSet() {
            problems.append("loan \(loan.id) collateral is not a canonical set")
        }
        for item in loan.collateral {
            switch item {
            case .piece(let id):
                if state.record(Piece.self, id.hash)?.pledgedTo != loan.id {
                    problems.append("loan \(loan.id) lists \(id) which is not pledged to it")
                }
            case .invoice(let id):
                if state.record(Invoice.self, id.hash)?.pledgedTo != loan.id {
                    problems.append("loan \(loan.id) lists \(id) which is not pledged to it")
                }
            }
        }
        return problems
    }

    private static func check(piece: Piece, state: WorldState) -> [String] {
        var problems = [String]()
        if let loanID = piece.pledgedTo {
            if state.record(Loan.self, loanID.hash)?.collateral.contains(.piece(piece.id)) != true {
                problems.append("piece \(piece.id) claims loan \(loanID) which does not list it")
            }
        }
        if let invoiceID = piece.onInvoice {
            let invoice = state.record(Invoice.self, invoiceID.hash)
            if invoice?.pieces.contains(piece.id) != true || invoice?.confirmedAt != nil {
                problems.append("piece \(piece.id) is locked to \(invoiceID) which is not selling it")
            }
        }
        if let certificate = piece.certificate {
            guard case .certificateIndex(let owner)? = state[StateKey(.certificateIndex, certificate.indexKey)],
                owner == piece.id
            else {
                problems.append("piece \(piece.id)'s certificate \(certificate.number) is not indexed to it")
                return problems
            }
        }
        return problems
    }

    private static func check(invoice: Invoice, state: WorldState) -> [String] {
        var problems = [String]()
        if invoice.paid.minorUnits < 0 || invoice.paid.minorUnits > invoice.amount.minorUnits {
            problems.append("invoice \(invoice.id) paid \(invoice.paid) outside 0...\(invoice.amount)")
        }
        if invoice.pledgedTo != nil && !invoice.financed {
            problems.append("invoice \(invoice.id) is pledged but not marked financed")
        }
        if let loanID = invoice.pledgedTo,
            state.record(Loan.self, loanID.hash)?.collateral.contains(.invoice(invoice.id)) != true
        {
            problems.append("invoice \(invoice.id) claims loan \(loanID) which does not list it")
        }
        return problems
    }
}
