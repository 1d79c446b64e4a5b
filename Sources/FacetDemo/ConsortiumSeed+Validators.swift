extension ConsortiumSeed {
    /// The consortium with `count` validators instead of the seed file's: fewer keeps the first ones in the file
    /// (the others stay members with their other roles), more adds members that only run a validator.
    public func withValidators(_ count: Int) -> ConsortiumSeed {
        precondition(count >= 1, "a chain needs a validator")
        var seed = self
        var kept = 0
        for index in seed.members.indices where seed.members[index].roles.contains("validator") {
            kept += 1
            if kept > count { seed.members[index].roles.removeAll { $0 == "validator" } }
        }
        for extra in stride(from: kept + 1, through: count, by: 1) {
            seed.members.append(
                MemberSeed(
                    key: "validator-\(extra)", name: "Consortium Validator \(extra) (demo)", roles: ["validator"]))
        }
        return seed
    }

    /// The seed file's short names of the members that run validators, in the file's order.
    public var validatorKeys: [String] { members.filter { $0.roles.contains("validator") }.map(\.key) }
}
