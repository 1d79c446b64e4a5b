import ArgumentParser
import FacetCore
import FacetFiles
import FacetLedger
import Foundation

/// `facet genesis …`: write the file a consortium starts from (`contracts/genesis.md`).
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis", abstract: "Create a consortium's genesis file.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a genesis file from its founding members.")

        @Option(help: "The chain id (1 to 64 printable ASCII characters).") var chainId: String
        @Option(
            help: ArgumentHelp(
                "A founding member: NAME:ROLE,ROLE:KEY, where KEY is a key file or a hex public key.",
                discussion: "Roles: \(Roles.named.map(\.name).joined(separator: ", ")).", valueName: "member"))
        var member: [String] = []
        @Option(help: "Genesis time, RFC 3339 UTC (default: now, to the second).") var time: String?
        @Option(help: "Admin approvals a new member needs.") var memberApprovals: UInt8 = 1
        @Option(help: "Blocks before an approved validator-set change takes effect.")
        var validatorChangeDelay: UInt64 = 10
        @Option(help: "Days an exchange's reference price stays usable.") var priceValidityDays: Int64 = 30
        @Option(help: "Where to write the genesis file.") var out: String
        @Flag(help: "Replace an existing file.") var force = false

        func run() throws {
            if FileManager.default.fileExists(atPath: out) && !force {
                throw ValidationError("\(out) exists; pass --force to replace it")
            }
            guard (1...36_500).contains(priceValidityDays) else {
                throw ValidationError("--price-validity-days is 1 to 36500")
            }
            let genesis = Genesis(
                params: LedgerParams(
                    chainID: try chainID(),
                    memberApprovals: memberApprovals, validatorChangeDelay: validatorChangeDelay,
                    priceValidityMillis: priceValidityDays * Timestamp.millisPerDay),
                time: try genesisTime(), members: try member.map(Self.member))
            let data = try CLIFiles.usage { () throws(LedgerError) in
                try genesis.validate()
                let data = try genesis.jsonData()
                _ = try Genesis(json: data)
                return data
            }
            try CLIFiles.write(data, to: out)
            print(
                "wrote \(out): chain \(chainId), \(genesis.members.count) members, \(genesis.validatorSet.count) "
                    + "validators, genesis hash \(genesis.hash.hex)")
        }

        private func chainID() throws -> Label {
            guard let label = try? Label(chainId) else {
                throw ValidationError("--chain-id is 1 to 64 printable ASCII characters, no spaces")
            }
            return label
        }

        private func genesisTime() throws -> Timestamp {
            guard let time else {
                return Timestamp(uncheckedMillis: Int64(Date().timeIntervalSince1970) * 1000)
            }
            guard let parsed = Timestamp(rfc3339: time) else {
                throw ValidationError("--time is RFC 3339 in UTC, like 2026-01-01T00:00:00Z")
            }
            return parsed
        }

        /// `NAME:ROLE,ROLE:KEY`; the name may itself hold colons, so the key and the roles are taken from the end.
        static func member(_ spec: String) throws -> GenesisMember {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { throw ValidationError("--member \(spec): expected NAME:ROLE,ROLE:KEY") }
            let name = parts.dropLast(2).joined(separator: ":")
            let roleNames = parts[parts.count - 2].split(separator: ",").map { String($0) }
            guard let roles = Roles(names: roleNames), !roles.isEmpty else {
                throw ValidationError(
                    "--member \(spec): roles are \(Roles.named.map(\.name).joined(separator: ", "))")
            }
            let keySpec = String(parts[parts.count - 1])
            let key = try PublicKey(hex: keySpec) ?? CLIFiles.usage { try KeyFile.read(keySpec).publicKey }
            return GenesisMember(name: name, roles: roles, publicKey: key)
        }
    }
}
