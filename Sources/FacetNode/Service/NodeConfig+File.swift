import FacetCore
import FacetStore
import Foundation

/// Reading, checking and writing the configuration file.
extension NodeConfig {
    /// Reads and checks a configuration file, resolving relative paths against its folder.
    public static func read(path: String) throws(NodeConfigError) -> NodeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeConfigError(.unreadable, "cannot read \(path)")
        }
        var config: NodeConfig
        do {
            config = try JSONDecoder().decode(NodeConfig.self, from: data)
        } catch let error as DecodingError {
            throw NodeConfigError(.invalid, "\(path): \(NodeConfigError.describe(error))")
        } catch {
            throw NodeConfigError(.invalid, "\(path) is not valid JSON")
        }
        config.resolvePaths(relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent())
        try config.validate()
        return config
    }

    /// Pretty-printed with sorted keys: the same configuration always gives the same file.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a configuration always encodes") }
        return data + Data("\n".utf8)
    }

    /// Every bound in range, the store location parseable, the log level known.
    public func validate() throws(NodeConfigError) {
        func check(_ condition: Bool, _ message: String) throws(NodeConfigError) {
            if !condition { throw NodeConfigError(.invalid, message) }
        }
        try check(!dataDirectory.isEmpty, "dataDirectory is empty")
        try check(!validatorKeyFile.isEmpty && !genesisFile.isEmpty, "validatorKeyFile and genesisFile are required")
        try check(!listen.host.isEmpty && (0...65_535).contains(listen.port), "listen.port is 0 to 65535")
        try check(
            (1...Limits.maxBlockTransactions).contains(block.maxTransactions),
            "block.maxTransactions is 1 to \(Limits.maxBlockTransactions)")
        try check(
            (Limits.maxTransactionBytes...Limits.maxBlockBytes).contains(block.maxBytes),
            "block.maxBytes is \(Limits.maxTransactionBytes) to \(Limits.maxBlockBytes)")
        try check((10...3_600_000).contains(block.intervalMillis), "block.intervalMillis is 10 to 3600000")
        try check(
            (1...10_000_000).contains(mempool.maxTransactions), "mempool.maxTransactions is 1 to 10000000")
        try check(
            (Limits.maxTransactionBytes...(16 << 30)).contains(mempool.maxBytes),
            "mempool.maxBytes is \(Limits.maxTransactionBytes) to \(16 << 30)")
        try check(
            (1...mempool.maxTransactions).contains(mempool.maxPerSigner),
            "mempool.maxPerSigner is 1 to mempool.maxTransactions")
        try check(
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel),
            "logLevel is trace, debug, info, notice, warning, error or critical")
        try consensus?.validate()
        try stateSync.validate()
        try check(!stateSync.join || consensus != nil, "stateSync.join needs consensus (peers to sync from)")
        try validateTransportSecurity()
        do {
            _ = try StoreLocation(parsing: store)
        } catch {
            throw NodeConfigError(.invalid, "store: \(error.reason)")
        }
    }

    private mutating func resolvePaths(relativeTo folder: URL) {
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
        }
        dataDirectory = resolve(dataDirectory)
        validatorKeyFile = resolve(validatorKeyFile)
        genesisFile = resolve(genesisFile)
        if let tls = consensus?.tls {
            consensus?.tls = Consensus.TLS(
                certificateChain: resolve(tls.certificateChain), privateKey: resolve(tls.privateKey),
                trustRoots: resolve(tls.trustRoots))
        }
        if let tls {
            self.tls = TLS(certificateChain: resolve(tls.certificateChain), privateKey: resolve(tls.privateKey))
        }
        if let credit {
            self.credit = Credit(
                models: resolve(credit.models), products: resolve(credit.products), policies: resolve(credit.policies))
        }
        if store.hasPrefix("sqlite:") {
            let path = String(store.dropFirst("sqlite:".count))
            if !path.hasPrefix("/") && !path.isEmpty { store = "sqlite:" + resolve(path) }
        }
    }
}
