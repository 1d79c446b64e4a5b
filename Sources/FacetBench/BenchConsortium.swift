import FacetCore
import FacetLedger
import FacetSimulation

/// The chain `facet bench consensus` runs: an admin (a genesis needs one), N validators and, for each, a few firms that submit their invoices to
/// that validator only. A client talks to one node, and a signer's nonces then reach every proposer in order
/// (through that node's gossip), so no invoice is refused for a nonce overtaken by a later one.
package struct BenchConsortium {
    /// One submitted invoice: its signed bytes, its id, and the validator it is submitted to.
    package struct Invoice: Sendable {
        package let bytes: [UInt8]
        package let id: TransactionID
        package let validator: Int
    }

    package let genesis: Genesis
    package let validatorKeys: [SigningKey]
    package let firmKeys: [SigningKey]
    package let signersPerValidator: Int

    package var validators: Int { validatorKeys.count }

    /// Keys derive from fixed names (`LedgerFixture.key`), so every run signs the same bodies.
    package init(validators: Int, signersPerValidator: Int, genesisTime: Timestamp) {
        precondition(validators >= 1 && signersPerValidator >= 1, "a consortium has validators and firms")
        validatorKeys = (0..<validators).map { LedgerFixture.key(seed: 1, name: "bench-validator-\($0)") }
        firmKeys = (0..<(validators * signersPerValidator)).map { LedgerFixture.key(seed: 1, name: "bench-firm-\($0)") }
        self.signersPerValidator = signersPerValidator
        let admin = LedgerFixture.key(seed: 1, name: "bench-admin")
        let members =
            [GenesisMember(name: "Admin", roles: [.admin], publicKey: admin.publicKey)]
            + validatorKeys.enumerated().map {
                GenesisMember(name: "Validator \($0.offset)", roles: [.validator], publicKey: $0.element.publicKey)
            }
            + firmKeys.enumerated().map {
                GenesisMember(name: "Firm \($0.offset)", roles: [.firm], publicKey: $0.element.publicKey)
            }
        genesis = Genesis(params: LedgerParams(chainID: LedgerFixture.chainID), time: genesisTime, members: members)
    }

    /// `count` signed invoices, round-robin over the validators: invoice i goes to validator i mod N, signed by one
    /// of that validator's firms in turn, each firm's nonces ascending in submission order.
    package func invoices(count: Int) -> [Invoice] {
        print("signing \(count) invoices from \(firmKeys.count) firms…")
        let firmIDs = firmKeys.map { MemberID(initialKey: $0.publicKey) }
        var nonces = [UInt64](repeating: 0, count: firmKeys.count)
        let due = Timestamp(uncheckedMillis: genesis.time.millis + 90 * Timestamp.millisPerDay)
        return (0..<count).map { index in
            let validator = index % validators
            let firm = validator * signersPerValidator + (index / validators) % signersPerValidator
            nonces[firm] += 1
            guard let amount = try? Money(minorUnits: Int64(100_000 + index), currency: .cny) else {
                preconditionFailure("a small amount is valid")
            }
            let body = TransactionBody.issueInvoice(
                .init(
                    buyer: firmIDs[(firm + 1) % firmIDs.count], amount: amount, dueAt: due, pieces: [],
                    channel: .wholesale))
            let transaction = Transaction.signed(
                chainID: genesis.params.chainID, signer: firmIDs[firm], nonce: nonces[firm], body: body,
                key: firmKeys[firm])
            let bytes = transaction.canonicalBytes
            return Invoice(bytes: bytes, id: TransactionID(SHA256Hash.digest(bytes)), validator: validator)
        }
    }
}
