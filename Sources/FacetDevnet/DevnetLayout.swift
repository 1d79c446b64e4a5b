import FacetCore
import FacetFiles
import FacetLedger
import FacetNode
import FacetTLS
import Foundation

/// The files of a local consortium in one folder: a genesis with N validators and the consortium's operator
/// members, each validator's key and node configuration (API on `apiPort + i`, peers on `peerPort + i`, each with
/// its own store), and the members' keys. Written once; `facet devnet` reuses an existing folder, so a restarted
/// devnet continues its chain.
///
/// ```
/// FOLDER/genesis.json
/// FOLDER/devnet.json                     `facet devnet`'s record: its settings, and its history once committed
/// FOLDER/consortium.json                 the consortium seed it was built from
/// FOLDER/ground-truth.json               the demo's hidden truth (firms' quality, loans' outcomes), never on the ledger
/// FOLDER/members/<name>.key               members' keys (demo-only keys for the demo consortium)
/// FOLDER/validator-<i>/validator.key
/// FOLDER/validator-<i>/node.json         data in FOLDER/validator-<i>/, SQLite unless a PostgreSQL URL is given
/// FOLDER/tls/ca.pem, ca.key.pem          with --tls: the devnet's own CA (`curl --cacert FOLDER/tls/ca.pem`)
/// FOLDER/tls/validator-<i>.pem, .key.pem with --tls: validator i's certificate, for HTTPS and mutual TLS to peers
/// ```
package struct DevnetLayout {
    package init(folder: URL, validators: Int, apiPort: Int, peerPort: Int, tls: Bool = false) {
        self.folder = folder
        self.validators = validators
        self.apiPort = apiPort
        self.peerPort = peerPort
        self.tls = tls
    }

    package static let chainID = "facet-devnet"

    package let folder: URL
    package let validators: Int
    package let apiPort: Int
    package let peerPort: Int
    /// HTTPS APIs and mutual TLS between validators, on certificates of the devnet's own CA.
    package var tls = false

    /// The operator members besides the validators: who can admit members and publish prices from the start.
    package static let operators: [(name: String, file: String, roles: Roles)] = [
        ("Industry Alliance Admin", "admin", [.admin]),
        ("South China Gold & Diamond Exchange", "exchange", [.exchange]),
    ]

    package var genesisPath: URL { folder.appendingPathComponent("genesis.json") }
    package var groundTruthPath: URL { folder.appendingPathComponent("ground-truth.json") }
    package func validatorFolder(_ index: Int) -> URL { folder.appendingPathComponent("validator-\(index)") }
    package func configPath(_ index: Int) -> URL { validatorFolder(index).appendingPathComponent("node.json") }
    package func keyPath(_ index: Int) -> URL { validatorFolder(index).appendingPathComponent("validator.key") }
    package func memberKeyPath(_ file: String) -> URL {
        folder.appendingPathComponent("members").appendingPathComponent("\(file).key")
    }
    package func apiAddress(_ index: Int) -> NodeConfig.Listen {
        NodeConfig.Listen(host: "127.0.0.1", port: apiPort + index)
    }
    /// Validator i's API as a URL: `https://…` with TLS.
    package func apiURL(_ index: Int) -> String { "\(tls ? "https" : "http")://\(apiAddress(index))" }
    package var tlsFolder: URL { folder.appendingPathComponent("tls") }
    /// The CA certificate clients trust (`--cacert`), nil without TLS.
    package var caFile: String? { tls ? tlsFolder.appendingPathComponent("ca.pem").path : nil }
    package func peerAddress(_ index: Int) -> NodeConfig.Listen {
        NodeConfig.Listen(host: "127.0.0.1", port: peerPort + index)
    }

    package var exists: Bool { FileManager.default.fileExists(atPath: genesisPath.path) }

    /// Writes a plain layout with fresh random keys: N validators and the operator members (tests use it).
    /// `store(i)` gives validator i's store location (nil: SQLite in its folder); `configure` adjusts each
    /// configuration (block pace, timeouts) before it is written.
    package func create(
        genesisTime: Timestamp, store: (Int) -> String? = { _ in nil },
        configure: (inout NodeConfig) -> Void = { _ in }
    ) throws {
        let keys = (0..<validators).map { _ in SigningKey.generate() }
        var members = keys.enumerated().map { index, key in
            GenesisMember(name: "Validator \(index)", roles: [.validator], publicKey: key.publicKey)
        }
        var memberKeys = [(file: String, key: SigningKey)]()
        for member in Self.operators {
            let key = SigningKey.generate()
            memberKeys.append((member.file, key))
            members.append(GenesisMember(name: member.name, roles: member.roles, publicKey: key.publicKey))
        }
        let genesis = Genesis(
            params: LedgerParams(
                chainID: try Label(Self.chainID), memberApprovals: 1, validatorChangeDelay: 10,
                priceValidityMillis: 30 * Timestamp.millisPerDay),
            time: genesisTime, members: members)
        try write(genesis: genesis, validatorKeys: keys, memberKeys: memberKeys, store: store, configure: configure)
    }

    /// Writes the layout of `genesis`: validator i runs with `validatorKeys[i]`, the members' keys go to
    /// `members/<file>.key`, and each validator's configuration names its peers.
    package func write(
        genesis: Genesis, validatorKeys keys: [SigningKey], memberKeys: [(file: String, key: SigningKey)],
        store: (Int) -> String? = { _ in nil }, configure: (inout NodeConfig) -> Void = { _ in }
    ) throws {
        precondition(keys.count == validators, "one key per validator")
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            at: folder.appendingPathComponent("members"), withIntermediateDirectories: true)
        for (index, key) in keys.enumerated() {
            try fileManager.createDirectory(at: validatorFolder(index), withIntermediateDirectories: true)
            try KeyFile(key: key).write(to: keyPath(index).path)
        }
        for (file, key) in memberKeys { try KeyFile(key: key).write(to: memberKeyPath(file).path) }
        try genesis.validate()
        try LocalFiles.write(try genesis.jsonData(), to: genesisPath.path)
        let ids = keys.map { MemberID(initialKey: $0.publicKey) }
        let certificates = tls ? try issueCertificates() : []
        for index in 0..<validators {
            let peers = (0..<validators).filter { $0 != index }.map {
                NodeConfig.Consensus.Peer(member: ids[$0].hex, address: peerAddress($0).description)
            }
            var config = NodeConfig(
                dataDirectory: validatorFolder(index).path, genesisFile: genesisPath.path,
                validatorKeyFile: keyPath(index).path, listen: apiAddress(index), store: store(index),
                consensus: validators > 1
                    ? NodeConfig.Consensus(listen: peerAddress(index), peers: peers) : nil)
            if tls {
                let files = certificates[index]
                config.tls = NodeConfig.TLS(certificateChain: files.certificate, privateKey: files.key)
                config.consensus?.tls = NodeConfig.Consensus.TLS(
                    certificateChain: files.certificate, privateKey: files.key, trustRoots: files.caCertificate)
            }
            configure(&config)
            try config.validate()
            try LocalFiles.write(config.jsonData(), to: configPath(index).path)
        }
    }

    /// The devnet's CA and one certificate per validator (for 127.0.0.1 and localhost), used both for its HTTPS API
    /// and for mutual TLS with the other validators.
    package func issueCertificates() throws -> [NodeTLSFiles] {
        let ca = try CertificateAuthority.generate(name: "Facet devnet CA")
        let caPath = tlsFolder.appendingPathComponent("ca.pem").path
        try ca.write(certificate: caPath, key: tlsFolder.appendingPathComponent("ca.key.pem").path)
        return try (0..<validators).map { index in
            try NodeTLSFiles.issue(
                by: ca, caCertificate: caPath, in: tlsFolder, file: "validator-\(index)",
                name: "facet devnet validator \(index)", hosts: ["127.0.0.1", "localhost"])
        }
    }
}
