import ArgumentParser
import FacetCore
import FacetFiles
import FacetLedger
import FacetNode
import FacetServer
import FacetTLS
import Foundation
import Logging

/// `facet node`: a production validator from a configuration file and a genesis.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Configure and run a validator node, rotate its consensus key, back it up and restore it.",
        subcommands: [Init.self, Start.self, RotateKey.self, NodeBackup.self, NodeRestore.self])

    /// Writes the configuration file (`contracts/node-config.md`) after checking that the genesis parses and that
    /// the key is one of its validators.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a node configuration file.")

        @Option(help: "The node's data folder (created if missing).") var data: String
        @Option(help: "The genesis file (contracts/genesis.md).") var genesis: String
        @Option(help: "The validator's key file (facet keys new).") var key: String
        @Option(help: "Address the HTTP API listens on, HOST:PORT.") var listen = "127.0.0.1:7700"
        @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DATABASE (default sqlite:<data>/ledger.sqlite).")
        var store: String?
        @Option(help: "Where other validators reach this one, HOST:PORT (a chain with several validators).")
        var peerListen: String?
        @Option(help: "Another validator: MEMBER_ID@HOST:PORT (repeat for each).") var peer: [String] = []
        @Option(help: "Where to write the configuration (default <data>/node.json).") var out: String?
        @Flag(help: "Replace an existing configuration file.") var force = false
        @OptionGroup var security: NodeInitTLSOptions

        func run() throws {
            let trusted = try CLIFiles.genesis(genesis)
            let validatorKey = try KeyFile.read(key)
            guard trusted.validatorSet.validator(MemberID(initialKey: validatorKey.publicKey)) != nil else {
                throw ValidationError("\(key) is not the key of a validator of \(genesis)")
            }
            guard let address = NodeConfig.Listen(parsing: listen) else {
                throw ValidationError("--listen is HOST:PORT, like 127.0.0.1:7700")
            }
            let dataDirectory = Self.absolute(data)
            var config = NodeConfig(
                dataDirectory: dataDirectory, genesisFile: Self.absolute(genesis), validatorKeyFile: Self.absolute(key),
                listen: address, store: store, consensus: try consensus(validators: trusted.validatorSet),
                insecureHTTP: security.insecureHTTP)
            config.consensus?.tls = security.peerTLS(absolute: Self.absolute)
            config.consensus?.insecurePeers = security.insecurePeers
            let path = out ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("node.json").path
            if FileManager.default.fileExists(atPath: path) && !force {
                throw ValidationError("\(path) exists; pass --force to replace it")
            }
            if security.servesTLS(listen: address) {
                config.tls = try security.apiTLS(dataDirectory: dataDirectory, listen: address, absolute: Self.absolute)
            }
            try CLIFiles.usage { () throws(NodeConfigError) in try config.validate() }
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try CLIFiles.write(config.jsonData(), to: path)
            print(
                "wrote \(path): chain \(trusted.params.chainID.value), listening on \(config.apiScheme)://\(address), "
                    + "store \(config.store)")
            print("start it with: facet node start --config \(path)")
        }

        /// The consensus section: required when the chain has other validators, refused when it has none.
        func consensus(validators: ValidatorSet) throws -> NodeConfig.Consensus? {
            guard validators.count > 1 else {
                guard peerListen == nil && peer.isEmpty else {
                    throw ValidationError("this chain has one validator: --peer-listen and --peer do not apply")
                }
                return nil
            }
            guard let peerListen, let listen = NodeConfig.Listen(parsing: peerListen) else {
                throw ValidationError(
                    "this chain has \(validators.count) validators: give --peer-listen HOST:PORT and a --peer for each other"
                )
            }
            let peers = try peer.map { spec in
                let parts = spec.split(separator: "@", maxSplits: 1).map(String.init)
                guard parts.count == 2, let id = Hash256(hex: parts[0]), NodeConfig.Listen(parsing: parts[1]) != nil
                else { throw ValidationError("--peer \(spec): expected MEMBER_ID@HOST:PORT") }
                guard validators.validator(MemberID(id)) != nil else {
                    throw ValidationError("--peer \(spec): \(parts[0]) is not a validator of this chain")
                }
                return NodeConfig.Consensus.Peer(member: id.hex, address: parts[1])
            }
            return NodeConfig.Consensus(listen: listen, peers: peers)
        }

        static func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }

    /// Runs the node until SIGINT or SIGTERM, then stops gracefully and exits 0.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a validator node from its configuration.")

        @Option(help: "The configuration file (facet node init).") var config: String
        @Flag(help: "With an empty store, join from a peer's certified snapshot instead of replaying every block.")
        var stateSync = false
        @Option(help: "With --state-sync: the height of a block you trust (read from a node you trust).")
        var trustHeight: UInt64?
        @Option(help: "With --state-sync: that block's id (64 hex digits).") var trustHash: String?

        func run() async throws {
            var settings = try CLIFiles.usage { () throws(NodeConfigError) in try NodeConfig.read(path: config) }
            if stateSync { settings.stateSync.join = true }
            if trustHeight != nil || trustHash != nil {
                settings.stateSync.trustHeight = trustHeight
                settings.stateSync.trustHash = trustHash
            }
            try CLIFiles.usage { () throws(NodeConfigError) in try settings.validate() }
            let genesis = try CLIFiles.genesis(settings.genesisFile)
            let key = try KeyFile.read(settings.validatorKeyFile)
            let level = Logger.Level(rawValue: settings.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            try await NodeLauncher(config: settings, genesis: genesis, validatorKey: key).run()
        }
    }
}
