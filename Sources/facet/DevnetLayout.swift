import FacetCore
import FacetLedger
import FacetNode
import Foundation

/// The files of a local consortium in one folder: a genesis with N validators and the consortium's operator
/// members, each validator's key and node configuration (API on `apiPort + i`, peers on `peerPort + i`, each with
/// its own store), and the members' keys. Written once; `facet devnet` reuses an existing folder, so a restarted
/// devnet continues its chain.
///
/// ```
/// FOLDER/genesis.json
/// FOLDER/members/<name>.key               operator members (the alliance admin, the exchange)
/// FOLDER/validator-<i>/validator.key
/// FOLDER/validator-<i>/node.json         data in FOLDER/validator-<i>/, SQLite unless a PostgreSQL URL is given
/// ```
struct DevnetLayout {
    static let chainID = "facet-devnet"

    let folder: URL
    let validators: Int
    let apiPort: Int
    let peerPort: Int

    /// The operator members besides the validators: who can admit members and publish prices from the start.
    static let operators: [(name: String, file: String, roles: Roles)] = [
        ("Industry Alliance Admin", "admin", [.admin]),
        ("South China Gold & Diamond Exchange", "exchange", [.exchange]),
    ]

    var genesisPath: URL { folder.appendingPathComponent("genesis.json") }
    func validatorFolder(_ index: Int) -> URL { folder.appendingPathComponent("validator-\(index)") }
    func configPath(_ index: Int) -> URL { validatorFolder(index).appendingPathComponent("node.json") }
    func keyPath(_ index: Int) -> URL { validatorFolder(index).appendingPathComponent("validator.key") }
    func memberKeyPath(_ file: String) -> URL {
        folder.appendingPathComponent("members").appendingPathComponent("\(file).key")
    }
    func apiAddress(_ index: Int) -> NodeConfig.Listen { NodeConfig.Listen(host: "127.0.0.1", port: apiPort + index) }
    func peerAddress(_ index: Int) -> NodeConfig.Listen { NodeConfig.Listen(host: "127.0.0.1", port: peerPort + index) }

    var exists: Bool { FileManager.default.fileExists(atPath: genesisPath.path) }

    /// Writes the whole layout. `store(i)` gives validator i's store location (nil: SQLite in its folder);
    /// `configure` adjusts each configuration (block pace, timeouts) before it is written.
    func create(
        genesisTime: Timestamp, store: (Int) -> String? = { _ in nil },
        configure: (inout NodeConfig) -> Void = { _ in }
    ) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            at: folder.appendingPathComponent("members"), withIntermediateDirectories: true)
        var members = [GenesisMember]()
        var keys = [SigningKey]()
        for index in 0..<validators {
            let key = SigningKey.generate()
            keys.append(key)
            try fileManager.createDirectory(at: validatorFolder(index), withIntermediateDirectories: true)
            try KeyFile(key: key).write(to: keyPath(index).path)
            members.append(GenesisMember(name: "Validator \(index)", roles: [.validator], publicKey: key.publicKey))
        }
        for member in Self.operators {
            let key = SigningKey.generate()
            try KeyFile(key: key).write(to: memberKeyPath(member.file).path)
            members.append(GenesisMember(name: member.name, roles: member.roles, publicKey: key.publicKey))
        }
        let genesis = Genesis(
            params: LedgerParams(
                chainID: try Label(Self.chainID), memberApprovals: 1, validatorChangeDelay: 10,
                priceValidityMillis: 30 * Timestamp.millisPerDay),
            time: genesisTime, members: members)
        try genesis.validate()
        try CLIFiles.write(try genesis.jsonData(), to: genesisPath.path)
        let ids = keys.map { MemberID(initialKey: $0.publicKey) }
        for index in 0..<validators {
            let peers = (0..<validators).filter { $0 != index }.map {
                NodeConfig.Consensus.Peer(member: ids[$0].hex, address: peerAddress($0).description)
            }
            var config = NodeConfig(
                dataDirectory: validatorFolder(index).path, genesisFile: genesisPath.path,
                validatorKeyFile: keyPath(index).path, listen: apiAddress(index), store: store(index),
                consensus: validators > 1
                    ? NodeConfig.Consensus(listen: peerAddress(index), peers: peers) : nil)
            configure(&config)
            try config.validate()
            try CLIFiles.write(config.jsonData(), to: configPath(index).path)
        }
    }
}
