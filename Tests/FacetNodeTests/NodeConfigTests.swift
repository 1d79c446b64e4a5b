import FacetNode
import FacetTestSupport
import Foundation
import Testing

@Suite struct NodeConfigTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("node.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func defaultsRoundTripAndRelativePaths() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = NodeConfig(
            dataDirectory: "/var/lib/facet", genesisFile: "/etc/g.json", validatorKeyFile: "/etc/k.json")
        #expect(config.store == "sqlite:/var/lib/facet/ledger.sqlite")
        #expect(config.listen == NodeConfig.Listen(host: "127.0.0.1", port: 7700))
        #expect(config.block == NodeConfig.Block(maxTransactions: 1_000, maxBytes: 4 << 20, intervalMillis: 1_000))
        let path = folder.appendingPathComponent("written.json").path
        try config.jsonData().write(to: URL(fileURLWithPath: path))
        #expect(try NodeConfig.read(path: path) == config)

        let minimal = try Self.write(
            #"{"dataDirectory": "data", "genesisFile": "genesis.json", "validatorKeyFile": "../keys/v1.json"}"#,
            in: folder)
        let read = try NodeConfig.read(path: minimal)
        let base = folder.standardizedFileURL.path
        #expect(read.dataDirectory == base + "/data")
        #expect(read.genesisFile == base + "/genesis.json")
        #expect(read.validatorKeyFile == folder.deletingLastPathComponent().standardizedFileURL.path + "/keys/v1.json")
        #expect(read.store == "sqlite:" + base + "/data/ledger.sqlite")
        #expect(read.logLevel == "info" && read.mempool == NodeConfig.MempoolBounds())
        #expect(read.stateSync == NodeConfig.StateSync() && !read.stateSync.join)
        let hash = String(repeating: "ab", count: 32)
        let trusting = try Self.write(
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"trustHeight": 9, "trustHash": "\#(hash)"}}"#,
            in: folder)
        let trusted = try NodeConfig.read(path: trusting).stateSync.trustedBlock()
        #expect(trusted?.height == 9 && trusted?.id.hex == hash)
    }

    @Test func theDocumentedExampleIsValid() throws {
        let config = try JSONDecoder().decode(NodeConfig.self, from: ContractFiles.data("node-config.example.json"))
        try config.validate()
        #expect(config.listen.port == 7700 && config.block.intervalMillis == 1_000)
        #expect(config.mempool.maxPerSigner == Mempool.Bounds.defaultMaxPerSigner)
    }

    @Test(arguments: [
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "listen": {"host": "h", "prot": 1}}"#,
            "config.invalid"
        ),
        (#"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "extra": true}"#, "config.invalid"),
        (#"{"dataDirectory": "d", "genesisFile": "g"}"#, "config.invalid"),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "block": {"maxTransactions": 0, "maxBytes": 20000, "intervalMillis": 5}}"#,
            "config.invalid"
        ),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "mempool": {"maxTransactions": 10, "maxBytes": 100}}"#,
            "config.invalid"
        ),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "mempool": {"maxTransactions": 10, "maxBytes": 20000, "maxPerSigner": 11}}"#,
            "config.invalid"
        ),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "store": "mysql://x"}"#,
            "config.invalid"
        ),
        (#"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "logLevel": "loud"}"#, "config.invalid"),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "listen": {"host": "h", "port": 70000}}"#,
            "config.invalid"
        ),
        ("not json", "config.invalid"),
        (#"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"join": true}}"#, "config.invalid"),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"trustHeight": 5}}"#,
            "config.invalid"
        ),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"trustHeight": 5, "trustHash": "zz"}}"#,
            "config.invalid"
        ),
        (
            #"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"chunkBytes": 100}}"#,
            "config.invalid"
        ),
        (#"{"dataDirectory": "d", "genesisFile": "g", "validatorKeyFile": "k", "stateSync": {"joins": true}}"#, "config.invalid"),
    ])
    func invalidConfigurationsAreRefusedWithACode(text: String, code: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write(text, in: folder)
        #expect(throws: NodeConfigError.self) { try NodeConfig.read(path: path) }
        do {
            _ = try NodeConfig.read(path: path)
        } catch {
            #expect(error.code.rawValue == code, "\(error)")
        }
        #expect(throws: NodeConfigError(.unreadable, "cannot read \(path).missing")) {
            try NodeConfig.read(path: path + ".missing")
        }
    }

    @Test func listenAddressesParse() {
        #expect(NodeConfig.Listen(parsing: "127.0.0.1:7700") == NodeConfig.Listen(host: "127.0.0.1", port: 7700))
        #expect(NodeConfig.Listen(parsing: "[::1]:80") == NodeConfig.Listen(host: "::1", port: 80))
        #expect(NodeConfig.Listen(parsing: "[::1]:80")?.description == "[::1]:80")
        #expect(NodeConfig.Listen(parsing: "localhost") == nil && NodeConfig.Listen(parsing: ":80") == nil)
    }
}
