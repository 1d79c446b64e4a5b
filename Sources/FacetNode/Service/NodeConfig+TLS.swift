import FacetTLS
import Foundation
import NIOSSL

extension NodeConfig {
    /// PEM files the API serves HTTPS with: the node's certificate (followed by any intermediates) and its key.
    public struct TLS: Codable, Hashable, Sendable {
        public var certificateChain: String
        public var privateKey: String

        public init(certificateChain: String, privateKey: String) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// The API's TLS server configuration from `tls`, its files read and checked now (nil: plain HTTP), so a
    /// missing or mismatched file stops `facet node start` with `config.unreadable` before anything listens.
    public func apiTLSConfiguration() throws(NodeConfigError) -> TLSConfiguration? {
        guard let tls else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChain).map {
                NIOSSLCertificateSource.certificate($0)
            }
            guard !chain.isEmpty else {
                throw NodeConfigError(.unreadable, "tls.certificateChain \(tls.certificateChain) holds no certificate")
            }
            let key = try NIOSSLPrivateKey(file: tls.privateKey, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            // Checks that the key matches the certificate and the files are usable, rather than at the first client.
            _ = try NIOSSLContext(configuration: configuration)
            return configuration
        } catch let error as NodeConfigError {
            throw error
        } catch {
            throw NodeConfigError(
                .unreadable, "tls: cannot use \(tls.certificateChain) and \(tls.privateKey): \(error)")
        }
    }

    /// The API's scheme: `https` with `tls`, else `http`.
    public var apiScheme: String { tls == nil ? "http" : "https" }

    /// Plain HTTP is refused on a listen address that is not loopback unless `insecureHTTP` says so; peer links to
    /// an address that is not loopback need `consensus.tls` unless `consensus.insecurePeers` says so.
    func validateTransportSecurity() throws(NodeConfigError) {
        if tls == nil && !insecureHTTP && !TLSFiles.isLoopback(listen.host) {
            throw NodeConfigError(
                .invalid,
                "listen \(listen) is not a loopback address: configure tls (HTTPS), or set insecureHTTP to serve "
                    + "plain HTTP there")
        }
        guard let consensus, consensus.tls == nil, !consensus.insecurePeers else { return }
        for peer in consensus.peers {
            guard let address = Listen(parsing: peer.address), !TLSFiles.isLoopback(address.host) else { continue }
            throw NodeConfigError(
                .invalid,
                "consensus.peers: \(peer.address) is not a loopback address: configure consensus.tls (mutual TLS), "
                    + "or set consensus.insecurePeers")
        }
    }
}
