import ArgumentParser
import FacetCore
import FacetFiles
import FacetNode
import Foundation

extension NodeCommand {
    /// Generates a new consensus key into the node's keyring folder, then submits `rotate_validator_key` signed with
    /// the node's member key (`validatorKeyFile`). The running node picks the key up from the folder and signs with
    /// it from the height the ledger's validator set names it (the height after the rotation's block).
    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Rotate this validator's consensus key by transaction, keeping its seat.",
            discussion: """
                Writes the new key to <data>/consensus-keys/<public key>.key (mode 0600; keep it with the data), \\
                then submits rotate_validator_key to the node's API and waits for its block, like `facet tx`. \\
                The old key stays in validatorKeyFile: it is the validator's member key, which signs its \\
                transactions and its peer handshakes.
                """)

        @Option(help: "The node's configuration file (facet node init).") var config: String
        @Option(help: "The node's API address (default: the configuration's listen address).") var node: String?
        @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
        @Flag(help: "Print the outcome as one JSON object (for scripts).") var json = false
        @Option(help: "Seconds to wait for the block before giving up (exit status 2).") var timeout: Int = 30

        func run() async throws {
            let settings = try CLIFiles.usage { () throws(NodeConfigError) in try NodeConfig.read(path: config) }
            let member = try KeyFile.member(settings.validatorKeyFile)
            let key = SigningKey.generate()
            let path = ValidatorKeyring.path(for: key.publicKey, dataDirectory: settings.dataDirectory)
            try FileManager.default.createDirectory(
                atPath: ValidatorKeyring.directory(dataDirectory: settings.dataDirectory),
                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try KeyFile(key: key, member: member.member).write(to: path)
            FileHandle.standardError.write(Data("new consensus key \(key.publicKey.hex) written to \(path)\n".utf8))
            let address = node ?? "\(settings.apiScheme)://\(settings.listen.host):\(settings.listen.port)"
            var arguments = ["--key", settings.validatorKeyFile, "--node", address, "--new-key", path]
            arguments +=
                ["--timeout", "\(timeout)"] + (cacert.map { ["--cacert", $0] } ?? []) + (json ? ["--json"] : [])
            let command = try Tx.RotateValidatorKey.parse(arguments)
            try await TxRunner(options: command.tx).run(command)
        }
    }
}
