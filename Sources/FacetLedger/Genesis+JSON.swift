import FacetCore
import Foundation

/// The genesis file (`contracts/genesis.md`): what every node and every auditor starts from. Times are RFC 3339
/// UTC, keys lowercase hex, roles by name, the price validity in whole days. Reading is strict (unknown fields,
/// unknown roles and malformed values are refused with `genesis.invalid`), and reading then writing gives back the
/// same genesis, so its hash, which the first block names, does not depend on who parsed the file.
extension Genesis {
    /// Parses a genesis file. Only the file's form is checked here; `validate()` checks the consortium rules
    /// (an admin, 1 to 64 validators, no key twice).
    public init(json: Data) throws(LedgerError) {
        let file: GenesisFile
        do {
            file = try StrictJSON.decode(GenesisFile.self, from: json)
        } catch {
            throw LedgerError(.genesisInvalid, "genesis: \(error.reason)")
        }
        let chainID: Label
        do { chainID = try Label(file.chainID) } catch {
            throw LedgerError(.genesisInvalid, "genesis: chainID is 1 to 64 printable ASCII characters, no spaces")
        }
        guard let time = Timestamp(rfc3339: file.time) else {
            throw LedgerError(.genesisInvalid, "genesis: time is RFC 3339 in UTC, like 2026-01-01T00:00:00Z")
        }
        let params = try file.params.ledgerParams(chainID: chainID)
        var members = [GenesisMember]()
        for (index, member) in file.members.enumerated() {
            members.append(try member.profile(field: "members[\(index)]"))
        }
        self.init(params: params, time: time, members: members)
        do {
            _ = try Genesis(canonicalBytes: canonicalBytes, limit: Int.max)
        } catch {
            throw LedgerError(.genesisInvalid, "genesis: \(error.message)")
        }
    }

    /// The genesis as a file: pretty-printed with sorted keys, members in genesis order. Fails only when the price
    /// validity is not a whole number of days or the delay is over 2^63 - 1, which the file cannot express.
    public func jsonData() throws(LedgerError) -> Data {
        guard params.priceValidityMillis % Timestamp.millisPerDay == 0 else {
            throw LedgerError(.genesisInvalid, "genesis: the price validity is not a whole number of days")
        }
        guard let delay = Int64(exactly: params.validatorChangeDelay) else {
            throw LedgerError(.genesisInvalid, "genesis: the validator change delay is beyond what the file holds")
        }
        return StrictJSON.encode(
            GenesisFile(
                chainID: params.chainID.value, time: time.rfc3339,
                params: GenesisParamsFile(
                    memberApprovals: Int(params.memberApprovals),
                    validatorChangeDelay: delay,
                    priceValidityDays: params.priceValidityMillis / Timestamp.millisPerDay),
                members: members.map {
                    GenesisMemberFile(name: $0.name, roles: $0.roles.names, publicKey: $0.publicKey.hex)
                }))
    }
}

/// The JSON shape of a genesis; only `Genesis+JSON` uses it.
private struct GenesisFile: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case chainID, time, params, members }

    var chainID: String
    var time: String
    var params: GenesisParamsFile
    var members: [GenesisMemberFile]

    init(chainID: String, time: String, params: GenesisParamsFile, members: [GenesisMemberFile]) {
        self.chainID = chainID
        self.time = time
        self.params = params
        self.members = members
    }

    init(from decoder: any Decoder) throws {
        try StrictJSON.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        chainID = try container.decode(String.self, forKey: .chainID)
        time = try container.decode(String.self, forKey: .time)
        params = try container.decode(GenesisParamsFile.self, forKey: .params)
        members = try container.decode([GenesisMemberFile].self, forKey: .members)
    }
}

private struct GenesisParamsFile: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case memberApprovals, validatorChangeDelay, priceValidityDays }

    /// Bounds the file's price validity so the milliseconds never overflow: a century is more than any consortium
    /// would ask of a reference price.
    static let maxPriceValidityDays: Int64 = 36_500

    var memberApprovals: Int
    /// Signed so that a negative number is reported as this field's error, not as unreadable JSON.
    var validatorChangeDelay: Int64
    var priceValidityDays: Int64

    init(memberApprovals: Int, validatorChangeDelay: Int64, priceValidityDays: Int64) {
        self.memberApprovals = memberApprovals
        self.validatorChangeDelay = validatorChangeDelay
        self.priceValidityDays = priceValidityDays
    }

    init(from decoder: any Decoder) throws {
        try StrictJSON.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        memberApprovals = try container.decode(Int.self, forKey: .memberApprovals)
        validatorChangeDelay = try container.decode(Int64.self, forKey: .validatorChangeDelay)
        priceValidityDays = try container.decode(Int64.self, forKey: .priceValidityDays)
    }

    func ledgerParams(chainID: Label) throws(LedgerError) -> LedgerParams {
        guard (1...Int(UInt8.max)).contains(memberApprovals) else {
            throw LedgerError(.genesisInvalid, "genesis: params.memberApprovals is 1 to \(UInt8.max)")
        }
        guard (1...Self.maxPriceValidityDays).contains(priceValidityDays) else {
            throw LedgerError(
                .genesisInvalid, "genesis: params.priceValidityDays is 1 to \(Self.maxPriceValidityDays)")
        }
        guard validatorChangeDelay >= 0 else {
            throw LedgerError(.genesisInvalid, "genesis: params.validatorChangeDelay is a number of blocks, 0 or more")
        }
        return LedgerParams(
            chainID: chainID, memberApprovals: UInt8(memberApprovals),
            validatorChangeDelay: UInt64(validatorChangeDelay),
            priceValidityMillis: priceValidityDays * Timestamp.millisPerDay)
    }
}

private struct GenesisMemberFile: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, roles, publicKey }

    var name: String
    var roles: [String]
    var publicKey: String

    init(name: String, roles: [String], publicKey: String) {
        self.name = name
        self.roles = roles
        self.publicKey = publicKey
    }

    init(from decoder: any Decoder) throws {
        try StrictJSON.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        roles = try container.decode([String].self, forKey: .roles)
        publicKey = try container.decode(String.self, forKey: .publicKey)
    }

    func profile(field: String) throws(LedgerError) -> GenesisMember {
        guard let parsedRoles = Roles(names: roles) else {
            let known = Roles.named.map(\.name).joined(separator: ", ")
            throw LedgerError(.genesisInvalid, "genesis: \(field).roles names an unknown role (known: \(known))")
        }
        guard Set(roles).count == roles.count else {
            throw LedgerError(.genesisInvalid, "genesis: \(field).roles lists a role twice")
        }
        guard let bytes = Hex.decode(publicKey), bytes.count == Hash256.byteCount else {
            throw LedgerError(.genesisInvalid, "genesis: \(field).publicKey is 64 hex digits (an Ed25519 public key)")
        }
        return GenesisMember(name: name, roles: parsedRoles, publicKey: PublicKey(raw: Hash256(bytes: bytes)))
    }
}
