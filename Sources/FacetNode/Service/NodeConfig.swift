import FacetCore
import Foundation

/// A validator node's configuration file (`contracts/node-config.md`): where its data lives, where it listens,
/// its key and genesis, and the bounds of its blocks and mempool. JSON; every field but `dataDirectory`,
/// `validatorKeyFile` and `genesisFile` has a default; an unknown field is refused, so a misspelt one fails loudly
/// instead of silently taking the default. Relative paths are relative to the file's folder.
public struct NodeConfig: Codable, Hashable, Sendable {
    public struct Listen: Codable, Hashable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String = "127.0.0.1", port: Int = 7700) {
            self.host = host
            self.port = port
        }

        /// `HOST:PORT`, the host in brackets when it is an IPv6 address (`[::1]:7700`).
        public init?(parsing text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
                return nil
            }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public struct Block: Codable, Hashable, Sendable {
        public var maxTransactions: Int
        public var maxBytes: Int
        /// Time between two blocks.
        public var intervalMillis: Int

        public init(maxTransactions: Int = 1_000, maxBytes: Int = 4 << 20, intervalMillis: Int = 1_000) {
            self.maxTransactions = maxTransactions
            self.maxBytes = maxBytes
            self.intervalMillis = intervalMillis
        }
    }

    public struct MempoolBounds: Codable, Hashable, Sendable {
        public var maxTransactions: Int
        public var maxBytes: Int
        /// The most transactions one signer may have pending (`mempool.signer_full` beyond).
        public var maxPerSigner: Int

        public init(
            maxTransactions: Int = 50_000, maxBytes: Int = 64 << 20,
            maxPerSigner: Int = Mempool.Bounds.defaultMaxPerSigner
        ) {
            self.maxTransactions = maxTransactions
            self.maxBytes = maxBytes
            self.maxPerSigner = maxPerSigner
        }

        enum CodingKeys: String, CodingKey { case maxTransactions, maxBytes, maxPerSigner }

        /// `maxPerSigner` optional: a configuration written before it existed keeps its meaning.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                maxTransactions: try container.decode(Int.self, forKey: .maxTransactions),
                maxBytes: try container.decode(Int.self, forKey: .maxBytes),
                maxPerSigner: try container.decodeIfPresent(Int.self, forKey: .maxPerSigner)
                    ?? Mempool.Bounds.defaultMaxPerSigner)
        }
    }

    public var dataDirectory: String
    /// `sqlite:PATH` or `postgres://…` (`StoreLocation`); by default `sqlite:<dataDirectory>/ledger.sqlite`.
    public var store: String
    public var listen: Listen
    public var validatorKeyFile: String
    public var genesisFile: String
    public var block: Block
    public var mempool: MempoolBounds
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    /// Peers and timeouts of a multi-validator chain; nil for a chain this node validates alone.
    public var consensus: Consensus?
    /// The credit engine's files; nil for a node that serves no credit reports.
    public var credit: Credit?
    /// HTTPS for the API: its certificate chain and key (PEM); nil serves plain HTTP, which only a loopback
    /// `listen` address or `insecureHTTP` allows.
    public var tls: TLS?
    /// Serve plain HTTP on an address that is not loopback (behind a TLS-terminating proxy, say).
    public var insecureHTTP: Bool
    /// Joining by state sync, and serving snapshots to nodes that join; the defaults when absent (serve, never join).
    public var stateSync: StateSync

    /// Folders of the scorecard models, product definitions and lender policies the node decides with
    /// (`contracts/models`, `contracts/products`, `contracts/policies` in the repository).
    public struct Credit: Codable, Hashable, Sendable {
        public var models: String
        public var products: String
        public var policies: String

        public init(models: String, products: String, policies: String) {
            self.models = models
            self.products = products
            self.policies = policies
        }
    }

    public init(
        dataDirectory: String, genesisFile: String, validatorKeyFile: String, listen: Listen = Listen(),
        store: String? = nil, block: Block = Block(), mempool: MempoolBounds = MempoolBounds(),
        logLevel: String = "info", consensus: Consensus? = nil, credit: Credit? = nil, tls: TLS? = nil,
        insecureHTTP: Bool = false, stateSync: StateSync = StateSync()
    ) {
        self.dataDirectory = dataDirectory
        self.store = store ?? NodeConfig.defaultStore(dataDirectory: dataDirectory)
        self.listen = listen
        self.validatorKeyFile = validatorKeyFile
        self.genesisFile = genesisFile
        self.block = block
        self.mempool = mempool
        self.logLevel = logLevel
        self.consensus = consensus
        self.credit = credit
        self.tls = tls
        self.insecureHTTP = insecureHTTP
        self.stateSync = stateSync
    }

    /// Written from the folder as given: a relative folder stays relative until the file's folder resolves it.
    public static func defaultStore(dataDirectory: String) -> String {
        "sqlite:" + (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + "ledger.sqlite"
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataDirectory, store, listen, validatorKeyFile, genesisFile, block, mempool, logLevel, consensus, credit
        case tls, insecureHTTP, stateSync
    }

    public init(from decoder: any Decoder) throws {
        try NodeConfig.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let dataDirectory = try container.decode(String.self, forKey: .dataDirectory)
        self.init(
            dataDirectory: dataDirectory,
            genesisFile: try container.decode(String.self, forKey: .genesisFile),
            validatorKeyFile: try container.decode(String.self, forKey: .validatorKeyFile),
            listen: try container.decodeIfPresent(Listen.self, forKey: .listen) ?? Listen(),
            store: try container.decodeIfPresent(String.self, forKey: .store),
            block: try container.decodeIfPresent(Block.self, forKey: .block) ?? Block(),
            mempool: try container.decodeIfPresent(MempoolBounds.self, forKey: .mempool) ?? MempoolBounds(),
            logLevel: try container.decodeIfPresent(String.self, forKey: .logLevel) ?? "info",
            consensus: try container.decodeIfPresent(Consensus.self, forKey: .consensus),
            credit: try container.decodeIfPresent(Credit.self, forKey: .credit),
            tls: try container.decodeIfPresent(TLS.self, forKey: .tls),
            insecureHTTP: try container.decodeIfPresent(Bool.self, forKey: .insecureHTTP) ?? false,
            stateSync: try container.decodeIfPresent(StateSync.self, forKey: .stateSync) ?? StateSync())
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func rejectUnknownKeys(_ decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [key], debugDescription: "unknown field \(key.stringValue)"))
        }
    }
}
