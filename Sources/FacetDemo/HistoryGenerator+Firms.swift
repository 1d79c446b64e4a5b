import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// Draws every firm: cluster by the clusters' shares, size, age (which fixes when it joins), hidden quality
    /// and whether it misbehaves, and a unique name from the seed's name parts.
    static func makeFirms(_ consortium: DemoConsortium, _ random: inout DemoRandom) -> [FirmProfile] {
        let seed = consortium.seed
        let settings = consortium.settings
        var names = Set<String>()
        var firms = [FirmProfile]()
        for index in 0..<settings.firms {
            let clusterIndex = random.weighted(seed.clusters.map(\.firmSharePermille))
            let cluster = seed.clusters[clusterIndex]
            let sizes = cluster.sizesPermille
            guard let size = FirmProfile.Size(rawValue: random.weighted([sizes.small, sizes.medium, sizes.large]))
            else { preconditionFailure("three weights give one of three sizes") }
            let ageMonths = random.int((cluster.ageYears.min * 12)...(cluster.ageYears.max * 12))
            let joinMonth = max(0, settings.months - ageMonths)
            let fraudulent = random.chance(permille: settings.fraudSharePermille)
            // Two draws averaged: most firms are middling, few excellent or poor. Older, larger firms do better.
            var quality = (random.int(0...1000) + random.int(0...1000)) / 2
            quality = min(1000, quality + size.rawValue * 40 + min(ageMonths, 120) / 2)
            if fraudulent { quality = min(quality, random.int(50...350)) }
            let prefix = seed.firmNames.prefixes[random.int(0...(seed.firmNames.prefixes.count - 1))]
            let suffix = seed.firmNames.suffixes[random.int(0...(seed.firmNames.suffixes.count - 1))]
            var name = "\(prefix) \(cluster.name) \(cluster.trade) \(suffix)"
            if names.contains(name) { name += " No. \(index + 1)" }
            names.insert(name)
            let categories = cluster.categories.compactMap { seed.category($0) }
            firms.append(
                FirmProfile(
                    member: DemoMember(key: "firm-\(index)", name: name, roles: .firm, seed: settings.seed),
                    cluster: clusterIndex, size: size, quality: quality, fraudulent: fraudulent,
                    joinMonth: joinMonth, categories: categories))
        }
        return firms
    }

    /// Registers the firms joining this month: the first admin proposes, the next admins approve until
    /// `memberApprovals` is reached.
    mutating func admitFirms() -> [Transaction] {
        let admins = consortium.founders(with: .admin)
        let approvals = Int(consortium.genesis.params.memberApprovals)
        var transactions = [Transaction]()
        for firm in firms where firm.joinMonth == month {
            transactions.append(sign(admins[0], .registerMember(firm.member.profile)))
            for admin in admins.dropFirst().prefix(approvals - 1) {
                transactions.append(sign(admin, .approveMember(MemberReference(member: firm.id))))
            }
        }
        return transactions
    }

    /// Each exchange publishes its bands; after the first month each price takes a step of its drift plus
    /// noise within its volatility (lab-grown diamonds drift down, as they did).
    mutating func publishPrices() -> [Transaction] {
        var transactions = [Transaction]()
        for (index, price) in consortium.seed.prices.enumerated() {
            if month > 0 {
                let step = 1000 + price.driftPermille + random.int(-price.volatilityPermille...price.volatilityPermille)
                prices[index] = max(1, prices[index] * Int64(step) / 1000)
            }
            guard let category = consortium.seed.category(price.category), let band = try? Label(price.band) else {
                preconditionFailure("prices were validated")
            }
            let body = PublishPrice(category: category, band: band, pricePerUnit: money(prices[index]))
            transactions.append(sign(consortium.founder(price.exchange), .publishPrice(body)))
        }
        return transactions
    }

    /// The current price of a category: its first band's.
    func price(of category: PieceCategory) -> Int64 {
        guard
            let index = consortium.seed.prices.firstIndex(where: { consortium.seed.category($0.category) == category })
        else { preconditionFailure("every traded category has a price") }
        return prices[index]
    }
}
