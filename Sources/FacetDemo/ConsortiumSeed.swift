import FacetCore
import FacetLedger
import Foundation

/// `seeds/consortium.json`: the demo consortium as data. Founding members (validators, attestors, lenders),
/// the lenders' profiles, the exchanges' reference prices, the firm-name parts and the four clusters.
public struct ConsortiumSeed: Codable, Hashable, Sendable {
    public struct MemberSeed: Codable, Hashable, Sendable {
        /// The short name the rest of the file refers to.
        public var key: String
        public var name: String
        public var roles: [String]
    }

    public struct LenderSeed: Codable, Hashable, Sendable {
        public var member: String
        /// "low", "medium" or "high".
        public var riskAppetite: String
        public var fundingCostBps: Int
    }

    public struct PriceSeed: Codable, Hashable, Sendable {
        public var exchange: String
        public var category: String
        public var band: String
        /// Price per gram (metals, carvings) or carat (stones), in minor units of the currency.
        public var startMinorPerUnit: Int64
        /// Mean monthly move and its spread, in parts per thousand.
        public var driftPermille: Int
        public var volatilityPermille: Int
    }

    public struct FirmNames: Codable, Hashable, Sendable {
        public var prefixes: [String]
        public var suffixes: [String]
    }

    public struct Channels: Codable, Hashable, Sendable {
        public var wholesale: Int
        public var retail: Int
        public var livestream: Int
        public var export: Int
    }

    public struct Sizes: Codable, Hashable, Sendable {
        public var small: Int
        public var medium: Int
        public var large: Int
    }

    public struct Ages: Codable, Hashable, Sendable {
        public var min: Int
        public var max: Int
    }

    public struct ClusterSeed: Codable, Hashable, Sendable {
        public var name: String
        /// The trade word in its firms' names.
        public var trade: String
        public var firmSharePermille: Int
        public var categories: [String]
        public var channelsPermille: Channels
        public var sizesPermille: Sizes
        public var ageYears: Ages
    }

    public var chainID: String
    public var currency: String
    public var memberApprovals: Int
    public var members: [MemberSeed]
    public var lenders: [LenderSeed]
    public var prices: [PriceSeed]
    public var firmNames: FirmNames
    public var clusters: [ClusterSeed]

    /// Decodes and checks the file's contents.
    public static func decode(_ data: Data) throws(DemoError) -> ConsortiumSeed {
        let seed = try DemoJSON.decode(ConsortiumSeed.self, from: data, file: "consortium.json")
        try seed.validate()
        return seed
    }

    public func validate() throws(DemoError) {
        try demand((try? Label(chainID)) != nil, "consortium.json: chainID \(chainID) is not a label")
        try demand((try? Currency(currency)) != nil, "consortium.json: currency \(currency) is not a currency code")
        let keys = members.map(\.key)
        try demand(Set(keys).count == keys.count, "consortium.json: a member key appears twice")
        for member in members {
            let roles = Roles(names: member.roles)
            try demand(roles != nil, "consortium.json: member \(member.key) has an unknown role in \(member.roles)")
            try demand(roles?.isEmpty == false, "consortium.json: member \(member.key) has no role")
            try demand(!member.roles.contains("firm"), "consortium.json: firms are generated, not founding members")
        }
        let admins = members.filter { $0.roles.contains("admin") }.count
        try demand(
            memberApprovals >= 1 && memberApprovals <= admins,
            "consortium.json: memberApprovals \(memberApprovals) must be 1 to the \(admins) admins")
        try demand(members.contains { $0.roles.contains("validator") }, "consortium.json: no validator")
        for (role, what) in [
            ("lab", "lab"), ("inspector", "inspector"), ("bank", "bank"), ("conciliator", "conciliator"),
        ] {
            try demand(members.contains { $0.roles.contains(role) }, "consortium.json: the demo needs a \(what)")
        }
        for lender in lenders {
            try demand(
                member(lender.member)?.roles.contains("lender") == true,
                "consortium.json: lender \(lender.member) is not a member with the lender role")
            try demand(
                ["low", "medium", "high"].contains(lender.riskAppetite),
                "consortium.json: riskAppetite of \(lender.member) is low, medium or high")
            try demand(lender.fundingCostBps >= 0, "consortium.json: fundingCostBps of \(lender.member) is negative")
        }
        for price in prices {
            try demand(
                member(price.exchange)?.roles.contains("exchange") == true,
                "consortium.json: price publisher \(price.exchange) is not a member with the exchange role")
            try demand(category(price.category) != nil, "consortium.json: unknown category \(price.category)")
            try demand((try? Label(price.band)) != nil, "consortium.json: band \(price.band) is not a label")
            try demand(price.startMinorPerUnit > 0, "consortium.json: price \(price.band) must be positive")
            try demand(
                (-500...500).contains(price.driftPermille) && (0...500).contains(price.volatilityPermille),
                "consortium.json: price \(price.band) moves by at most 500 permille a month")
        }
        try demand(
            !firmNames.prefixes.isEmpty && !firmNames.suffixes.isEmpty,
            "consortium.json: firmNames needs prefixes and suffixes")
        try validateClusters()
    }

    private func validateClusters() throws(DemoError) {
        try demand(!clusters.isEmpty, "consortium.json: no cluster")
        try demand(
            clusters.map(\.firmSharePermille).reduce(0, +) == 1000,
            "consortium.json: cluster firm shares add up to 1000 permille")
        for cluster in clusters {
            let name = "consortium.json: cluster \(cluster.name)"
            try demand(cluster.firmSharePermille >= 0, "\(name) has a negative share")
            try demand(!cluster.categories.isEmpty, "\(name) trades no category")
            for text in cluster.categories {
                guard let category = category(text) else {
                    throw DemoError(.invalid, "\(name): unknown category \(text)")
                }
                try demand(prices.contains { $0.category == text }, "\(name): no exchange publishes \(category)")
            }
            let channels = cluster.channelsPermille
            let channelWeights = [channels.wholesale, channels.retail, channels.livestream, channels.export]
            try demand(
                channelWeights.allSatisfy { $0 >= 0 } && channelWeights.reduce(0, +) == 1000,
                "\(name): channel shares are non-negative and add up to 1000")
            let sizes = cluster.sizesPermille
            try demand(
                [sizes.small, sizes.medium, sizes.large].allSatisfy { $0 >= 0 }
                    && sizes.small + sizes.medium + sizes.large == 1000,
                "\(name): size shares are non-negative and add up to 1000")
            try demand(
                cluster.ageYears.min >= 0 && cluster.ageYears.min <= cluster.ageYears.max,
                "\(name): ageYears needs 0 <= min <= max")
        }
    }

    public func member(_ key: String) -> MemberSeed? { members.first { $0.key == key } }

    /// A category by its name in the file (the enum case's name).
    public func category(_ name: String) -> PieceCategory? {
        PieceCategory.allCases.first { "\($0)" == name }
    }
}
