import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// Each active firm registers new stock: more for larger firms. Stones are often certified by the lab
    /// (claimed at registration, confirmed by the lab after), and some pieces are inspected; a better firm
    /// certifies more and fails inspection less.
    mutating func registerPieces() -> [Transaction] {
        guard let lab = consortium.founders(with: .lab).first,
            let inspector = consortium.founders(with: .inspector).first
        else { preconditionFailure("the consortium was validated to have a lab and an inspector") }
        var registrations = [Transaction]()
        var attestations = [(member: DemoMember, body: TransactionBody)]()
        for index in activeFirms {
            let firm = firms[index]
            let count = random.int([1...2, 2...4, 4...7][firm.size.rawValue])
            for _ in 0..<count {
                let category = firm.categories[random.int(0...(firm.categories.count - 1))]
                let (card, value) = makeCard(category)
                var certificate: CertificateRef?
                if !category.isMetal && random.chance(permille: 250 + firm.quality / 2) {
                    certificateCounter += 1
                    certificate = CertificateRef(lab: lab.id, number: label("NGTC-\(certificateCounter)"))
                }
                let transaction = sign(firm.member, .registerPiece(RegisterPiece(card: card, certificate: certificate)))
                registrations.append(transaction)
                let piece = PieceID(transaction.id.hash)
                stock[index].append(
                    StockPiece(id: piece, category: category, value: value, certified: certificate != nil))
                if let certificate {
                    let body = CertifyPiece(piece: piece, number: certificate.number, grading: card)
                    attestations.append((lab, .certifyPiece(body)))
                }
                if random.chance(permille: 300) {
                    inspectionCounter += 1
                    let passed = random.chance(permille: 700 + firm.quality * 3 / 10)
                    let body = InspectPiece(
                        piece: piece, cardNumber: label("QIC-\(inspectionCounter)"), passed: passed,
                        notes: passed ? "conforms to its card" : "weight or grade below the card")
                    attestations.append((inspector, .inspectPiece(body)))
                }
            }
        }
        return registrations + attestations.map { sign($0.member, $0.body) }
    }

    /// A card for a new piece of `category`, and the piece's value at today's reference price.
    private mutating func makeCard(_ category: PieceCategory) -> (IdentityCard, Int64) {
        let perUnit = price(of: category)
        switch category {
        case .gold, .platinum:
            let milligrams = UInt64(random.int(5_000...150_000))
            let fineness: UInt16 = random.chance(permille: 700) ? 999 : 916
            let card = IdentityCard(category: category, weight: milligrams, fineness: fineness, description: "bangle")
            return (card, Int64(milligrams) * perUnit / 1000 * Int64(fineness) / 1000)
        case .naturalDiamond, .labGrownDiamond, .coloredStone:
            let millicarats = UInt64(random.int(300...3_000))
            let color = ["D", "E", "F", "G", "H", "I"][random.int(0...5)]
            let clarity = ["VVS1", "VVS2", "VS1", "VS2", "SI1"][random.int(0...4)]
            let card = IdentityCard(
                category: category, weight: millicarats, color: label(color), clarity: label(clarity),
                cut: label("EX"), description: "round brilliant")
            return (card, Int64(millicarats) * perUnit / 1000)
        case .jadeite, .pearl:
            let milligrams = UInt64(random.int(2_000...60_000))
            let color = ["IMPERIAL-GREEN", "APPLE-GREEN", "LAVENDER", "WHITE"][random.int(0...3)]
            let card = IdentityCard(
                category: category, weight: milligrams, color: label(color), clarity: label("ICY"),
                description: "carved pendant")
            return (card, Int64(milligrams) * perUnit / 1000)
        case .crystal:
            let milligrams = UInt64(random.int(50_000...1_500_000))
            let card = IdentityCard(category: category, weight: milligrams, description: "clear quartz carving")
            return (card, Int64(milligrams) * perUnit / 1000)
        }
    }

    func label(_ text: String) -> Label {
        guard let label = try? Label(text) else { preconditionFailure("\(text) is a label") }
        return label
    }
}
