import ArgumentParser
import FacetNode
import FacetTLS
import Foundation

/// `facet node init`'s transport security: HTTPS for the API (required on an address that is not loopback unless
/// `--insecure-http`), from given PEM files or a CA and certificate generated into `<data>/tls/`; mutual TLS for
/// peer links (required to a peer that is not loopback unless `--insecure-peers`).
struct NodeInitTLSOptions: ParsableArguments {
    @Flag(help: "Serve HTTPS even on a loopback address (a certificate is generated unless --tls-cert is given).")
    var tls = false
    @Option(help: "The API's certificate chain (PEM); with --tls-key. Default on a non-loopback address: generated.")
    var tlsCert: String?
    @Option(help: "The API certificate's private key (PEM).") var tlsKey: String?
    @Option(help: "Another name or IP address the generated certificate is valid for (repeat for each).")
    var tlsName: [String] = []
    @Flag(help: "Serve plain HTTP on an address that is not loopback (behind a TLS-terminating proxy).")
    var insecureHTTP = false
    @Option(help: "This validator's peer certificate chain (PEM) for mutual TLS between validators.")
    var peerTLSCert: String?
    @Option(help: "The peer certificate's private key (PEM).") var peerTLSKey: String?
    @Option(help: "The consortium's CA certificate (PEM) every validator's peer certificate chains to.")
    var peerCA: String?
    @Flag(help: "Plain peer links to peers that are not loopback.") var insecurePeers = false

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if insecureHTTP && (tls || tlsCert != nil || !tlsName.isEmpty) {
            throw ValidationError(
                "--insecure-http serves plain HTTP: it does not go with --tls, --tls-cert or --tls-name")
        }
        let peerFiles = [peerTLSCert, peerTLSKey, peerCA].filter { $0 != nil }.count
        guard peerFiles == 0 || peerFiles == 3 else {
            throw ValidationError("--peer-tls-cert, --peer-tls-key and --peer-ca go together")
        }
        if insecurePeers && peerFiles == 3 { throw ValidationError("--insecure-peers does not go with peer TLS files") }
    }

    /// HTTPS when asked for (`--tls`, `--tls-cert`, `--tls-name`) or when the address is not loopback and plain HTTP was not.
    func servesTLS(listen: NodeConfig.Listen) -> Bool {
        !insecureHTTP && (tls || tlsCert != nil || !tlsName.isEmpty || !TLSFiles.isLoopback(listen.host))
    }

    /// The given files, or a new CA (`<data>/tls/ca.pem`, the file clients pass as `--cacert`) and an API
    /// certificate it issued for the listen address, `--tls-name`s, 127.0.0.1 and localhost.
    func apiTLS(
        dataDirectory: String, listen: NodeConfig.Listen, absolute: (String) -> String
    ) throws -> NodeConfig.TLS {
        if let tlsCert, let tlsKey {
            return NodeConfig.TLS(certificateChain: absolute(tlsCert), privateKey: absolute(tlsKey))
        }
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tls")
        let wildcard = ["0.0.0.0", "::", ""].contains(listen.host)
        var hosts = wildcard ? [ProcessInfo.processInfo.hostName] : [listen.host]
        hosts += tlsName + ["127.0.0.1", "localhost"]
        var unique = [String]()
        for host in hosts where !unique.contains(host) { unique.append(host) }
        let files = try NodeTLSFiles.generate(
            in: folder, caName: "Facet node CA \(listen)", nodeName: "facet node \(listen)", hosts: unique)
        print("generated a CA and an API certificate for \(unique.joined(separator: ", ")) in \(folder.path)")
        print("clients trust it with --cacert \(files.caCertificate)  (curl --cacert \(files.caCertificate) https://…)")
        return NodeConfig.TLS(certificateChain: files.certificate, privateKey: files.key)
    }

    func peerTLS(absolute: (String) -> String) -> NodeConfig.Consensus.TLS? {
        guard let peerTLSCert, let peerTLSKey, let peerCA else { return nil }
        return NodeConfig.Consensus.TLS(
            certificateChain: absolute(peerTLSCert), privateKey: absolute(peerTLSKey), trustRoots: absolute(peerCA))
    }
}
