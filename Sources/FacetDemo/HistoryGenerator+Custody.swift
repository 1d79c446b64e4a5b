import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// A firm's piece in a warehouse's custody. The generator never sells it from there: it leaves custody first.
    /// It may secure a loan, which keeps it in the warehouse until the pledge is released.
    struct CustodyPiece: Sendable {
        let piece: StockPiece
        /// The warehouse's index among the consortium's warehouses.
        let warehouse: Int
        /// The month it entered custody.
        let since: Int
        var pledged: Bool
    }

    /// The most pieces a firm keeps in custody, so audits stay small.
    static let maxCustodyPerFirm = 24

    /// Day 3: larger and better firms put certified (then other) pieces into their bonded warehouse; some take
    /// an unpledged piece out that has been there since an earlier month.
    mutating func moveCustody() -> [Transaction] {
        let warehouses = consortium.founders(with: .warehouse)
        guard !warehouses.isEmpty else { return [] }
        var transactions = [Transaction]()
        for index in activeFirms {
            let firm = firms[index]
            let depositPermille = 20 + firm.size.rawValue * 100 + firm.quality / 4
            let room = HistoryGenerator.maxCustodyPerFirm - custody[index].count
            if room > 0, !stock[index].isEmpty, custodyRandom.chance(permille: depositPermille) {
                let warehouse = index % warehouses.count
                let count = min(room, custodyRandom.int(1...3))
                for piece in takeForCustody(from: index, count: count) {
                    custody[index].append(
                        CustodyPiece(piece: piece, warehouse: warehouse, since: month, pledged: false))
                    transactions.append(
                        sign(warehouses[warehouse], .custodyIn(CustodyIn(piece: piece.id, bonded: true))))
                }
            }
            guard let position = custody[index].firstIndex(where: { !$0.pledged && $0.since < month }),
                custodyRandom.chance(permille: 150)
            else { continue }
            let held = custody[index].remove(at: position)
            stock[index].append(held.piece)
            transactions.append(sign(warehouses[held.warehouse], .custodyOut(CustodyOut(piece: held.piece.id))))
        }
        return transactions
    }

    /// Up to `count` pieces out of the firm's free stock, certified ones first (oldest first within each).
    private mutating func takeForCustody(from index: Int, count: Int) -> [StockPiece] {
        let ordered = stock[index].filter(\.certified) + stock[index].filter { !$0.certified }
        let taken = Array(ordered.prefix(count))
        stock[index].removeAll { piece in taken.contains { $0.id == piece.id } }
        return taken
    }

    /// Day 10: each warehouse audits quarterly (the two staggered) every firm's pieces in its custody, pledged ones
    /// included: they still belong to the firm.
    mutating func auditStock() -> [Transaction] {
        let warehouses = consortium.founders(with: .warehouse)
        var transactions = [Transaction]()
        for (warehouse, member) in warehouses.enumerated() where (month + warehouse) % 3 == 0 {
            for index in firms.indices {
                let pieces = custody[index].filter { $0.warehouse == warehouse }.map(\.piece.id)
                for start in stride(from: 0, to: pieces.count, by: Limits.maxPiecesPerAudit) {
                    let end = min(start + Limits.maxPiecesPerAudit, pieces.count)
                    let body = StockAudit(firm: firms[index].id, pieces: Array(pieces[start..<end]))
                    transactions.append(sign(member, .stockAudit(body)))
                }
            }
        }
        return transactions
    }

    /// Certified pieces held in custody and not pledged, up to `limit`, marked as pledged: warehouse-held stock is
    /// the collateral a lender prefers.
    mutating func pledgeFromCustody(_ index: Int, limit: Int) -> [StockPiece] {
        var taken = [StockPiece]()
        for position in custody[index].indices where taken.count < limit {
            guard !custody[index][position].pledged && custody[index][position].piece.certified else { continue }
            custody[index][position].pledged = true
            taken.append(custody[index][position].piece)
        }
        return taken
    }

    /// A released piece goes back where it lies: to its warehouse's unpledged stock, or to the firm's free stock.
    mutating func returnReleased(_ piece: StockPiece, to index: Int) {
        if let position = custody[index].firstIndex(where: { $0.piece.id == piece.id }) {
            custody[index][position].pledged = false
        } else {
            stock[index].append(piece)
        }
    }
}
