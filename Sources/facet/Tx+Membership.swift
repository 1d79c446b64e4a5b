import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import Foundation

/// Membership: members, keys and the validator set (signed by admins, the member itself, or validators).
extension Tx {
    struct RegisterMember: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.registerMember.commandName, abstract: "Propose a new member (admin).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The member's name.", transform: CLIInput.text("name")) var name: String
        @Option(
            help: "Comma-separated roles: \(Roles.named.map(\.name).joined(separator: ", ")).",
            transform: CLIInput.roles)
        var roles: Roles
        @Option(help: "The member's public key: 64 hex digits, or its key file.") var publicKey: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            let key = try PublicKey(hex: publicKey) ?? CLIFiles.usage { try KeyFile.read(publicKey).publicKey }
            return .registerMember(.init(name: name, roles: roles, publicKey: key))
        }
    }

    struct ApproveMember: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.approveMember.commandName, abstract: "Approve a pending member (admin).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The pending member's id.", transform: CLIInput.id) var member: MemberID

        func body(_ context: TxContext) async throws -> TransactionBody { .approveMember(.init(member: member)) }
    }

    struct RotateKey: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.rotateKey.commandName,
            abstract: "Replace the signer's key with a new one (the member itself).",
            discussion: """
                --new-key is a key file from `facet keys new`; it signs the rotation proof. Once the rotation is \
                committed, that file is rewritten to sign for this member's id, and the old key file stops working.
                """)

        @OptionGroup var tx: TxOptions
        @Option(help: "The new key's file.") var newKey: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            let new = try CLIFiles.usage { try KeyFile.read(newKey) }
            let payload = MembershipRotation.payload(member: context.signer.member, newKey: new.publicKey)
            let proof = new.sign(purpose: .keyRotation, chainID: context.chainID, payload: payload)
            return .rotateKey(.init(newKey: new.publicKey, proof: proof))
        }

        func committed(_ context: TxContext) throws {
            try KeyFile(key: KeyFile.read(newKey), member: context.signer.member).write(to: newKey)
            // Standard error: with --json, standard output stays one JSON object.
            FileHandle.standardError.write(Data("\(newKey) now signs for member \(context.signer.member.hex)\n".utf8))
        }
    }

    struct RotateValidatorKey: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.rotateValidatorKey.commandName,
            abstract: "Replace the signer's consensus key, keeping its validator seat (the validator's member key).",
            discussion: """
                --new-key is a key file; it signs the rotation proof. The new key signs the validator's proposals \
                and votes from the height after the one that commits this, so the node must hold it by then: \
                `facet node rotate-key` writes it into the node's data folder and submits this in one step.
                """)

        @OptionGroup var tx: TxOptions
        @Option(help: "The new consensus key's file.") var newKey: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            let new = try CLIFiles.usage { try KeyFile.read(newKey) }
            let payload = ValidatorKeyRotation.payload(member: context.signer.member, newKey: new.publicKey)
            let proof = new.sign(purpose: .validatorKeyRotation, chainID: context.chainID, payload: payload)
            return .rotateValidatorKey(.init(newKey: new.publicKey, proof: proof))
        }
    }

    struct SuspendMember: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.suspendMember.commandName,
            abstract: "Vote to suspend a member (admin): suspended, it signs nothing, once the quorum of admins voted.",
            discussion: """
                A member is suspended once as many distinct admins voted as admission needs (the genesis' \
                memberApprovals); an admin is never suspended if that would leave fewer active admins than that.
                """)

        @OptionGroup var tx: TxOptions
        @Option(help: "The member's id.", transform: CLIInput.id) var member: MemberID
        @Option(help: "Why.", transform: CLIInput.text("reason")) var reason: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            .suspendMember(.init(member: member, reason: reason))
        }
    }

    struct ReinstateMember: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.reinstateMember.commandName,
            abstract: "Vote to lift a member's suspension (admin): lifted once the quorum of admins voted.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The member's id.", transform: CLIInput.id) var member: MemberID

        func body(_ context: TxContext) async throws -> TransactionBody { .reinstateMember(.init(member: member)) }
    }

    struct ChangeValidators: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.changeValidators.commandName,
            abstract: "Schedule a new validator set, approved by 2f+1 current validators (validator).",
            discussion: """
                Approvals are signatures of current validators over the new set and its effective height: give \
                each as --approval MEMBER:SIGNATURE (made with `facet tx sign-validator-change`), or sign here \
                with --approve-with KEYFILE.
                """)

        @OptionGroup var tx: TxOptions
        @OptionGroup var change: ValidatorChangeOptions
        @Option(help: "A validator's approval, MEMBER_ID:SIGNATURE (hex).") var approval: [String] = []
        @Option(help: "A current validator's key file to approve with, here.") var approveWith: [String] = []

        func body(_ context: TxContext) async throws -> TransactionBody {
            let set = try await change.validatorSet(context.client, signer: context.signer)
            var approvals = try approval.map(Self.approval)
            for path in approveWith {
                let signer = try KeyFile.member(path)
                approvals.append(change.approval(set, by: signer, chainID: context.chainID))
            }
            return .changeValidators(
                .init(validators: set, effectiveHeight: change.effectiveHeight, approvals: approvals))
        }

        static func approval(_ text: String) throws -> ValidatorApproval {
            let parts = text.split(separator: ":").map { String($0) }
            guard parts.count == 2, let member = MemberID(hex: parts[0]), let signature = Signature(hex: parts[1])
            else { throw ValidationError("--approval \(text): expected MEMBER_ID:SIGNATURE in hex") }
            return ValidatorApproval(validator: member, signature: signature)
        }
    }

    /// Not a transaction: a validator's approval of a validator-set change, for another validator to submit.
    struct SignValidatorChange: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-validator-change",
            abstract: "Print this validator's approval of a new validator set (MEMBER_ID:SIGNATURE); sends nothing.")

        @Option(help: "The node's API address (for the chain id and validator keys).") var node =
            "http://127.0.0.1:7700"
        @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
        @Option(help: "The approving validator's key file.") var key: String
        @OptionGroup var change: ValidatorChangeOptions

        func run() async throws {
            let signer = try KeyFile.member(key)
            let client = try CLIInput.parse { try NodeClient(address: node, caFile: cacert) }
            do throws(ClientError) {
                let chainID = try await client.chainID()
                let set = try await change.validatorSet(client, signer: signer)
                let approval = change.approval(set, by: signer, chainID: chainID)
                print("\(approval.validator.hex):\(approval.signature.hex)")
            } catch {
                try CLIFailure.exit(error)
            }
        }
    }
}

/// The new validator set and its height, shared by `change-validators` and `sign-validator-change`.
struct ValidatorChangeOptions: ParsableArguments {
    @Option(help: "A validator of the new set: MEMBER_ID, or MEMBER_ID:PUBLIC_KEY (the key is looked up otherwise).")
    var validator: [String] = []
    @Option(help: "The height from which the new set signs blocks.") var effectiveHeight: UInt64

    func validate() throws {
        guard !validator.isEmpty else { throw ValidationError("name the new set with --validator") }
    }

    /// The set, looking up the key of each validator given without one.
    func validatorSet(_ client: NodeClient?, signer: MemberKey) async throws(ClientError) -> ValidatorSet {
        var members = [Validator]()
        for spec in validator {
            let parts = spec.split(separator: ":").map { String($0) }
            let member: MemberID = try InputText.id(parts[0], "validator member")
            if parts.count == 2 {
                members.append(Validator(member: member, publicKey: try InputText.publicKey(parts[1])))
            } else if let client, parts.count == 1 {
                let record = try await client.member(member, signer: signer)
                members.append(Validator(member: member, publicKey: try InputText.publicKey(record.publicKey)))
            } else {
                throw ClientError(.invalidInput, "--validator \(spec): expected MEMBER_ID or MEMBER_ID:PUBLIC_KEY")
            }
        }
        return ValidatorSet(members)
    }

    func approval(_ set: ValidatorSet, by signer: MemberKey, chainID: Label) -> ValidatorApproval {
        let payload = ValidatorChangePayload.bytes(validators: set, effectiveHeight: effectiveHeight)
        return ValidatorApproval(
            validator: signer.member,
            signature: signer.key.sign(purpose: .validatorSetChange, chainID: chainID, payload: payload))
    }
}
